import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { LoadedConfig, Logger } from '@miroir/config';
import { assignTaskWorkflow, countTasks, findStalledTaskOperations, insertTask, storeTaskFilter, type TaskListFilter, type TaskRecord } from '@miroir/store';
import { MiroirOperation, MiroirRequestedBy } from '@miroir/temporal';
import { markTaskFailed } from '../../../../activities/task-status.activities';
import { taskError } from '../../../../workflows/index-lifecycle.contract';
import {
  taskOperationWorkflowId,
  taskOperationWorkflowType,
  type TaskOperationInput,
  type TaskOperationType,
} from '../../../../workflows/task-operations.contract';
import { DATA_SOURCE, LOADED_CONFIG, LOGGER, TEMPORAL_CLIENT } from '../infra/tokens';
import { summarize, type SummarizedTask } from './task-registry.contract';

/** A taskCancelation or taskDeletion still enqueued after this long is (re)started by any API pod. */
const STALLED_AFTER_MS = 30_000;
const RECOVERY_INTERVAL_MS = 30_000;

/**
 * POST /tasks/cancel and DELETE /tasks: the operation is a Miroir task (`taskCancelation` /
 * `taskDeletion`) whose filter is stored with it and whose work runs as a Temporal workflow
 * (workflows/task-cancelation.workflow.ts, task-deletion.workflow.ts). `matchedTasks` counts the
 * tasks the filter matches when the operation is enqueued, as on Meilisearch.
 */
@Injectable()
export class TaskOperationsService implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(LOADED_CONFIG) private readonly loaded: LoadedConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    // A pod that died between recording an operation and starting its workflow leaves it enqueued.
    this.timer = setInterval(() => void this.restartStalled(), RECOVERY_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async enqueue(type: TaskOperationType, filter: TaskListFilter, originalFilter: string): Promise<SummarizedTask> {
    const task = await this.ds.transaction(async (tx) => {
      const matchedTasks = await countTasks(tx, filter);
      const details = { matchedTasks, [type === 'taskCancelation' ? 'canceledTasks' : 'deletedTasks']: null, originalFilter };
      const t = await insertTask(tx, { indexUid: null, type, status: 'enqueued', nodeTasks: [], details, taskFilter: storeTaskFilter(filter) });
      t.workflowId = taskOperationWorkflowId(type, t.uid);
      await assignTaskWorkflow(tx, t.uid, t.workflowId);
      return t;
    });
    try {
      await this.start(task);
    } catch (err) {
      await markTaskFailed(this.ds, task.uid, taskError('internal', 'The operation could not be started.', 'internal'));
      throw err;
    }
    return summarize(task);
  }

  private async start(task: TaskRecord): Promise<void> {
    const type = task.type as TaskOperationType;
    const input: TaskOperationInput = { taskUid: task.uid };
    try {
      await this.temporal.workflow.start(taskOperationWorkflowType(type), {
        taskQueue: this.loaded.config.temporal.task_queue,
        workflowId: taskOperationWorkflowId(type, task.uid),
        args: [input],
        typedSearchAttributes: [
          { key: MiroirOperation, value: type },
          { key: MiroirRequestedBy, value: 'api' },
        ],
        memo: { taskUid: task.uid, filter: task.details?.originalFilter ?? null },
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  private async restartStalled(): Promise<void> {
    try {
      for (const task of await findStalledTaskOperations(this.ds, STALLED_AFTER_MS)) await this.start(task);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'could not restart stalled task operations; retrying later');
    }
  }
}
