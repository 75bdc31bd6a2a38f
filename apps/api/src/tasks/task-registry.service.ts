import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { findTask, insertTask, listTasks, type NodeTaskRef, type TaskRecord } from '@miroir/store';
import { errors } from '../errors/catalog';
import { DATA_SOURCE } from '../infra/tokens';
import type { TaskRegistryContract } from './task-registry.contract';
import type { TaskListQuery } from './task-query';
import { TaskRefresher } from './task-refresher.service';
import { taskView, type TaskView } from './task-view';

export interface TaskListView {
  results: TaskView[];
  total: number;
  limit: number;
  from: number | null;
  next: number | null;
}

/** Miroir's task registry (docs/design.md#tasks): tasks live in Postgres; node-write tasks follow their node tasks. */
@Injectable()
export class TaskRegistry implements TaskRegistryContract {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    private readonly refresher: TaskRefresher,
  ) {}

  async recordNodeTasks(
    tx: EntityManager,
    input: { indexUid: string | null; type: string; nodeTasks: NodeTaskRef[]; details: Record<string, unknown>; customMetadata?: string },
  ): Promise<TaskRecord> {
    const customMetadata = input.customMetadata ?? null;
    if (input.nodeTasks.length === 0) {
      // Nothing to wait for (an empty batch, ids that cannot exist): done as soon as recorded, or
      // once the earlier tasks of its index are (docs/architecture.md, "Task order").
      const task = await insertTask(tx, { indexUid: input.indexUid, type: input.type, status: 'enqueued', nodeTasks: [], details: input.details, customMetadata });
      await this.refresher.settleEmpty(task, tx);
      return task;
    }
    return insertTask(tx, {
      indexUid: input.indexUid,
      type: input.type,
      status: 'enqueued',
      nodeTasks: input.nodeTasks.map((t) => ({ nodeId: t.nodeId, taskUid: t.taskUid, status: t.status ?? 'enqueued' })),
      details: input.details,
      customMetadata,
    });
  }

  async createWorkflowTask(input: { indexUid: string | null; type: string; workflowId: string; details: Record<string, unknown> }): Promise<TaskRecord> {
    return insertTask(this.ds, {
      indexUid: input.indexUid,
      type: input.type,
      status: 'enqueued',
      nodeTasks: [],
      details: input.details,
      workflowId: input.workflowId,
    });
  }

  /** GET /tasks/{uid}: refreshed from the nodes first when it is a pending node-write task. */
  async get(uid: number): Promise<TaskView> {
    const task = await findTask(this.ds, uid);
    if (!task) throw errors.taskNotFound(uid);
    await this.refresher.refresh([task]);
    return taskView(task);
  }

  /** GET /tasks: only the tasks of the page are refreshed, so a listing costs at most one node call per node. */
  async list(q: TaskListQuery): Promise<TaskListView> {
    const page = await listTasks(this.ds, q.filter, { limit: q.limit, from: q.from, reverse: q.reverse });
    await this.refresher.refresh(page.results);
    return {
      results: page.results.map(taskView),
      total: page.total,
      limit: q.limit,
      from: page.results[0]?.uid ?? null,
      next: page.next,
    };
  }
}
