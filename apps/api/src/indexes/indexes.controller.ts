import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { canSeeIndex } from '../auth/principal';
import { RequireAction } from '../auth/decorators';
import { IndexRegistry } from '../cluster/index-registry.service';
import { MeiliError } from '../errors/meili-error';
import { parseJsonObject } from '../http/json-body';
import { summarize, type SummarizedTask } from '../tasks/task-registry.contract';
import { assertIndexUid } from './index-uid';
import { INDEX_LIFECYCLE } from './index-lifecycle.contract';
import type { IndexLifecycleService } from './index-lifecycle.service';
import { indexView, type IndexView } from './index-view';
import { checkQueryKeys, intParam, type QueryParams } from './query-params';
import { requestedBy } from './requested-by';
import { deserr } from './settings/deserr-errors';

/** /indexes (docs/api-compatibility.md): reads from the registry, writes as indexLifecycle workflows. */
@Controller('indexes')
export class IndexesController {
  constructor(
    private readonly registry: IndexRegistry,
    @Inject(INDEX_LIFECYCLE) private readonly lifecycle: IndexLifecycleService,
  ) {}

  @Get()
  @RequireAction('indexes.get')
  async list(@Query() query: QueryParams, @Req() req: FastifyRequest): Promise<{ results: IndexView[]; offset: number; limit: number; total: number }> {
    checkQueryKeys(query, ['offset', 'limit']);
    const offset = intParam(query, 'offset', 'invalid_index_offset', 0);
    const limit = intParam(query, 'limit', 'invalid_index_limit', 20);
    // From Postgres, not the per-pod cache: a change whose task succeeded shows on every pod at once.
    const visible = (await this.registry.currentAll()).filter((r) => canSeeIndex(req, r.uid));
    return { results: visible.slice(offset, offset + limit).map(indexView), offset, limit, total: visible.length };
  }

  @Post()
  @HttpCode(202)
  @RequireAction('indexes.create')
  async create(@Body() body: Buffer, @Req() req: FastifyRequest): Promise<SummarizedTask> {
    const b = parseJsonObject(body, { allowEmpty: false });
    if (b.uid === undefined) throw new MeiliError('missing_index_uid', 'Missing field `uid`');
    if (typeof b.uid !== 'string') throw deserr.invalidType('invalid_index_uid', '.uid', 'a string', b.uid);
    for (const k of Object.keys(b)) if (k !== 'uid' && k !== 'primaryKey') throw deserr.unknownField('bad_request', k, ['uid', 'primaryKey']);
    const primaryKey = primaryKeyOf(b);
    return summarize(await this.lifecycle.create(assertIndexUid(b.uid), primaryKey, requestedBy(req)));
  }

  @Get(':uid')
  @RequireAction('indexes.get')
  async get(@Param('uid') uid: string): Promise<IndexView> {
    return indexView(await this.registry.current(assertIndexUid(uid)));
  }

  @Patch(':uid')
  @HttpCode(202)
  @RequireAction('indexes.update')
  async update(@Param('uid') uid: string, @Body() body: Buffer, @Req() req: FastifyRequest): Promise<SummarizedTask> {
    assertIndexUid(uid);
    const b = parseJsonObject(body, { allowEmpty: false });
    for (const k of Object.keys(b)) if (k !== 'primaryKey') throw deserr.unknownField('bad_request', k, ['primaryKey']);
    return summarize(await this.lifecycle.updatePrimaryKey(uid, primaryKeyOf(b), requestedBy(req)));
  }

  @Delete(':uid')
  @HttpCode(202)
  @RequireAction('indexes.delete')
  async delete(@Param('uid') uid: string, @Req() req: FastifyRequest): Promise<SummarizedTask> {
    return summarize(await this.lifecycle.delete(assertIndexUid(uid), requestedBy(req)));
  }
}

function primaryKeyOf(body: Record<string, unknown>): string | null {
  const pk = body.primaryKey;
  if (pk === undefined || pk === null) return null;
  if (typeof pk !== 'string') throw deserr.invalidType('invalid_index_primary_key', '.primaryKey', 'a string', pk);
  return pk;
}
