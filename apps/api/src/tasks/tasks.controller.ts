import { Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequireAction } from '../auth/decorators';
import { indexAllowed } from '../auth/permissions';
import { indexScope, principalOf } from '../auth/principal';
import { errors } from '../errors/catalog';
import { TaskDocumentsService } from './task-documents.service';
import { TaskOperationsService } from './task-operations.service';
import { parseTaskFilterQuery, parseTaskListQuery, parseTaskUid } from './task-query';
import type { SummarizedTask } from './task-registry.contract';
import { TaskRegistry, type TaskListView } from './task-registry.service';
import type { TaskView } from './task-view';

/** The query string exactly as sent (Meilisearch's `originalFilter`). */
function rawQuery(req: FastifyRequest): string {
  const at = req.url.indexOf('?');
  return at < 0 ? '' : req.url.slice(at + 1);
}

@Controller('tasks')
export class TasksController {
  constructor(
    private readonly registry: TaskRegistry,
    private readonly operations: TaskOperationsService,
    private readonly documents: TaskDocumentsService,
  ) {}

  /** An index-restricted key lists only its indexes' tasks, filtered in the query so `total` and paging are exact. */
  @Get()
  @RequireAction('tasks.get')
  list(@Query() query: Record<string, unknown>, @Req() req: FastifyRequest): Promise<TaskListView> {
    const q = parseTaskListQuery(query ?? {});
    const scope = indexScope(principalOf(req));
    return this.registry.list(scope === null ? q : { ...q, filter: { ...q.filter, visibleIndexPatterns: scope } });
  }

  /** Meilisearch answers 200 (not 202) with the summarized taskCancelation. A restricted key cancels only its indexes' tasks. */
  @Post('cancel')
  @HttpCode(200)
  @RequireAction('tasks.cancel')
  cancel(@Query() query: Record<string, unknown>, @Req() req: FastifyRequest): Promise<SummarizedTask> {
    const { filter, originalFilter } = parseTaskFilterQuery(query ?? {}, rawQuery(req), 'cancel');
    const scope = indexScope(principalOf(req));
    return this.operations.enqueue('taskCancelation', scope === null ? filter : { ...filter, visibleIndexPatterns: scope }, originalFilter);
  }

  @Delete()
  @RequireAction('tasks.delete')
  delete(@Query() query: Record<string, unknown>, @Req() req: FastifyRequest): Promise<SummarizedTask> {
    const { filter, originalFilter } = parseTaskFilterQuery(query ?? {}, rawQuery(req), 'delete');
    const scope = indexScope(principalOf(req));
    return this.operations.enqueue('taskDeletion', scope === null ? filter : { ...filter, visibleIndexPatterns: scope }, originalFilter);
  }

  /** A task of an index the key may not see does not exist for it, as on Meilisearch. */
  @Get(':uid')
  @RequireAction('tasks.get')
  async get(@Param('uid') uid: string, @Req() req: FastifyRequest): Promise<TaskView> {
    const task = await this.registry.get(parseTaskUid(uid));
    const scope = indexScope(principalOf(req));
    if (scope !== null && (task.indexUid === null || !indexAllowed(scope, task.indexUid))) throw errors.taskNotFound(task.uid);
    return task;
  }

  /** The documents of a pending addition (experimental on Meilisearch: `getTaskDocumentsRoute`), typed NDJSON as Meilisearch types them. */
  @Get(':uid/documents')
  @RequireAction('tasks.get')
  async taskDocuments(@Param('uid') uid: string, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const body = await this.documents.documents(uid, indexScope(principalOf(req)));
    // Bytes, so Fastify adds no `; charset=utf-8` to Meilisearch's content type.
    void reply.header('content-type', 'application/x-ndjson');
    return Buffer.from(body);
  }
}
