import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { AdminOnly } from '../auth/decorators';
import { MeiliError } from '../errors/meili-error';
import { parseJsonObject } from '../http/json-body';
import { NodeAdminService } from './node-admin.service';
import { RebalanceAdminService } from './rebalance-admin.service';

const addNodeBody = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'node ids are 1 to 128 letters, digits and _ . : -'),
  address: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://10.0.0.5:7700' }),
  group: z.number().int().min(0).default(0),
});
const rebalanceBody = z.strictObject({ dryRun: z.boolean().optional(), requestedBy: z.string().max(200).optional() });

function parse<T>(schema: z.ZodType<T>, body: Buffer, what: string): T {
  const r = schema.safeParse(parseJsonObject(body));
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new MeiliError(`miroir_invalid_${what}`, `Invalid ${what}: ${issue.path.join('.') || 'body'}: ${issue.message}`, 400);
}

/** `/_miroir/nodes` and `/_miroir/rebalance` (docs/design.md#admin-api): every answer names the workflow and its UI link. */
@AdminOnly()
@Controller('_miroir')
export class TopologyAdminController {
  constructor(
    private readonly nodes: NodeAdminService,
    private readonly rebalance: RebalanceAdminService,
  ) {}

  @Get('nodes')
  async listNodes() {
    return { results: await this.nodes.list() };
  }

  /** `?rebalance=true` starts the rebalance right away. */
  @Post('nodes')
  @HttpCode(201)
  async addNode(@Body() body: Buffer, @Query('rebalance') rebalance?: string) {
    const added = await this.nodes.add(parse(addNodeBody, body, 'node'));
    return { ...added, rebalance: rebalance === 'true' ? await this.rebalance.start('admin-api') : undefined };
  }

  @Post('nodes/:id/drain')
  @HttpCode(202)
  async drain(@Param('id') id: string, @Query('rebalance') rebalance?: string) {
    const drained = await this.nodes.drain(id);
    return { ...drained, rebalance: rebalance === 'true' ? await this.rebalance.start('admin-api') : undefined };
  }

  @Delete('nodes/:id')
  @HttpCode(202)
  async remove(@Param('id') id: string, @Query('rebalance') rebalance?: string) {
    const removed = await this.nodes.remove(id);
    return { ...removed, rebalance: rebalance === 'true' && removed.drained ? await this.rebalance.start('admin-api') : undefined };
  }

  @Post('rebalance')
  @HttpCode(202)
  async startRebalance(@Body() body: Buffer) {
    const { dryRun, requestedBy } = parse(rebalanceBody, body, 'rebalance');
    const who = requestedBy ?? 'admin-api';
    return dryRun ? this.rebalance.dryRun(who) : this.rebalance.start(who);
  }

  @Post('rebalance/pause')
  @HttpCode(202)
  pause() {
    return this.rebalance.signal('pause');
  }

  @Post('rebalance/resume')
  @HttpCode(202)
  resume() {
    return this.rebalance.signal('resume');
  }

  @Post('rebalance/cancel')
  @HttpCode(202)
  cancel() {
    return this.rebalance.signal('cancel');
  }

  @Get('rebalance/status')
  status() {
    return this.rebalance.status();
  }
}
