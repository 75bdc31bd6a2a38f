import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Put, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SETTINGS_SUB_ROUTES, type SettingRoute, type Settings } from '@miroir/meili';
import { RequireAction } from '../auth/decorators';
import { errors } from '../errors/catalog';
import { MeiliError } from '../errors/meili-error';
import { parseJson, parseJsonObject, toBuffer } from '../http/json-body';
import { summarize, type SummarizedTask } from '../tasks/task-registry.contract';
import { requestedBy } from './requested-by';
import { SettingsService } from './settings.service';
import { SETTING_NAMES, validateSetting, validateSettingsBody } from './settings/settings-validation';

const BY_ROUTE = new Map<string, SettingRoute>(SETTINGS_SUB_ROUTES.map((r) => [r.route, r]));

/** /indexes/{uid}/settings and every sub-route, as Meilisearch (docs/api-compatibility.md, docs/settings-and-indexes.md). */
@Controller('indexes/:uid/settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  @RequireAction('settings.get')
  getAll(@Param('uid') uid: string): Promise<Settings> {
    return this.settings.getAll(uid);
  }

  @Patch()
  @HttpCode(202)
  @RequireAction('settings.update')
  async update(@Param('uid') uid: string, @Body() body: Buffer, @Req() req: FastifyRequest): Promise<SummarizedTask> {
    const patch = validateSettingsBody(parseJsonObject(body, { allowEmpty: false }));
    return summarize(await this.settings.change(uid, patch, requestedBy(req)));
  }

  @Delete()
  @HttpCode(202)
  @RequireAction('settings.update')
  async reset(@Param('uid') uid: string, @Req() req: FastifyRequest): Promise<SummarizedTask> {
    const patch = Object.fromEntries(SETTING_NAMES.map((n) => [n, null]));
    return summarize(await this.settings.change(uid, patch, requestedBy(req)));
  }

  @Get(':setting')
  @RequireAction('settings.get')
  async getOne(@Param('uid') uid: string, @Param('setting') setting: string, @Res() reply: FastifyReply): Promise<void> {
    const value = await this.settings.getOne(uid, routeOf(setting).route);
    // Serialised here: Fastify would send a bare string (distinctAttribute) as text/plain.
    await reply.type('application/json').send(JSON.stringify(value));
  }

  @Put(':setting')
  @HttpCode(202)
  @RequireAction('settings.update')
  put(@Param('uid') uid: string, @Param('setting') setting: string, @Body() body: Buffer, @Req() req: FastifyRequest): Promise<SummarizedTask> {
    return this.write(uid, setting, 'PUT', body, req);
  }

  @Patch(':setting')
  @HttpCode(202)
  @RequireAction('settings.update')
  patch(@Param('uid') uid: string, @Param('setting') setting: string, @Body() body: Buffer, @Req() req: FastifyRequest): Promise<SummarizedTask> {
    return this.write(uid, setting, 'PATCH', body, req);
  }

  @Delete(':setting')
  @HttpCode(202)
  @RequireAction('settings.update')
  async resetOne(@Param('uid') uid: string, @Param('setting') setting: string, @Req() req: FastifyRequest): Promise<SummarizedTask> {
    const { name } = routeOf(setting);
    return summarize(await this.settings.change(uid, { [name]: null }, requestedBy(req)));
  }

  private async write(uid: string, setting: string, method: 'PUT' | 'PATCH', body: Buffer, req: FastifyRequest): Promise<SummarizedTask> {
    const route = routeOf(setting);
    if (route.updateMethod !== method) throw methodNotAllowed();
    if (toBuffer(body).toString('utf8').trim() === '') throw errors.missingPayload('json');
    const value = parseJson(body);
    if (value !== null) validateSetting(route.name, value, true);
    return summarize(await this.settings.change(uid, { [route.name]: value }, requestedBy(req)));
  }
}

function routeOf(segment: string): SettingRoute {
  const route = BY_ROUTE.get(segment);
  if (!route) throw errors.notFound();
  return route;
}

function methodNotAllowed(): MeiliError {
  return new MeiliError('method_not_allowed', 'Method Not Allowed', 405);
}
