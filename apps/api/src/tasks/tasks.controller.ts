import { Controller, Get, Param, Query } from '@nestjs/common';
import { RequireAction } from '../auth/decorators';
import { parseTaskListQuery, parseTaskUid } from './task-query';
import { TaskRegistry, type TaskListView } from './task-registry.service';
import type { TaskView } from './task-view';

@Controller('tasks')
export class TasksController {
  constructor(private readonly registry: TaskRegistry) {}

  @Get()
  @RequireAction('tasks.get')
  list(@Query() query: Record<string, unknown>): Promise<TaskListView> {
    return this.registry.list(parseTaskListQuery(query ?? {}));
  }

  @Get(':uid')
  @RequireAction('tasks.get')
  get(@Param('uid') uid: string): Promise<TaskView> {
    return this.registry.get(parseTaskUid(uid));
  }
}
