import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RequireAction } from '../auth/decorators';
import { indexScope, principalOf } from '../auth/principal';
import { BatchRegistry, type BatchListView } from './batch-registry.service';
import type { BatchView } from './batch-view';
import { parseBatchUid, parseTaskListQuery } from './task-query';

/** GET /batches (the same parameters as GET /tasks); an index-restricted key sees only batches of its indexes. */
@Controller('batches')
export class BatchesController {
  constructor(private readonly batches: BatchRegistry) {}

  @Get()
  @RequireAction('tasks.get')
  list(@Query() query: Record<string, unknown>, @Req() req: FastifyRequest): Promise<BatchListView> {
    const q = parseTaskListQuery(query ?? {});
    const scope = indexScope(principalOf(req));
    return this.batches.list(scope === null ? q : { ...q, filter: { ...q.filter, visibleIndexPatterns: scope } });
  }

  @Get(':uid')
  @RequireAction('tasks.get')
  get(@Param('uid') uid: string, @Req() req: FastifyRequest): Promise<BatchView> {
    return this.batches.get(parseBatchUid(uid), indexScope(principalOf(req)) ?? undefined);
  }
}
