import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RequireAction } from '../auth/decorators';
import { indexAllowed } from '../auth/permissions';
import { indexScope, principalOf } from '../auth/principal';
import { errors } from '../errors/catalog';
import { parseTaskListQuery, parseTaskUid } from './task-query';
import { TaskRegistry, type TaskListView } from './task-registry.service';
import type { TaskView } from './task-view';

@Controller('tasks')
export class TasksController {
  constructor(private readonly registry: TaskRegistry) {}

  /** An index-restricted key lists only its indexes' tasks, filtered in the query so `total` and paging are exact. */
  @Get()
  @RequireAction('tasks.get')
  list(@Query() query: Record<string, unknown>, @Req() req: FastifyRequest): Promise<TaskListView> {
    const q = parseTaskListQuery(query ?? {});
    const scope = indexScope(principalOf(req));
    return this.registry.list(scope === null ? q : { ...q, filter: { ...q.filter, visibleIndexPatterns: scope } });
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
}
