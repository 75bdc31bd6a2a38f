import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { LoadedConfig, Logger } from '@miroir/config';
import { stalledIndexWorkflowTasks, type TaskRecord } from '@miroir/store';
import type { IndexLifecycleOp } from '../../../../workflows/index-lifecycle.contract';
import { DATA_SOURCE, LOADED_CONFIG, LOGGER } from '../infra/tokens';
import { WorkflowStarter } from './workflow-starter.service';

const OPS: Record<string, IndexLifecycleOp> = { indexCreation: 'create', indexDeletion: 'delete', indexUpdate: 'update' };
const TYPES = ['settingsUpdate', ...Object.keys(OPS)];
/** A task this old that its workflow never reported on is started again (well below TASK_ORDER_WAIT_MS). */
const STALLED_AFTER_MS = 20_000;
const CHECK_EVERY_MS = 10_000;

/**
 * Settings changes and index operations are recorded in Postgres, then handed to Temporal. A pod
 * that dies between the two leaves the task enqueued forever, and with it every later task of the
 * index (docs/architecture.md, "Task order": writes wait for it, later tasks are shown after it).
 * Every pod hands such tasks to Temporal again: a settings change is signalled again (the
 * workflow drops a change it already has), an index operation started again (refused while its
 * workflow runs).
 */
@Injectable()
export class StalledIndexTasks implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(LOADED_CONFIG) private readonly loaded: LoadedConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly workflows: WorkflowStarter,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.restartStalled(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async restartStalled(): Promise<void> {
    try {
      for (const task of await stalledIndexWorkflowTasks(this.ds, TYPES, STALLED_AFTER_MS)) await this.restart(task);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'could not restart stalled index tasks; retrying later');
    }
  }

  private async restart(task: TaskRecord): Promise<void> {
    const indexUid = task.indexUid!;
    if (task.type === 'settingsUpdate') {
      await this.workflows.enqueueSettingsChange(indexUid, { taskUid: task.uid, patch: task.details ?? {}, requestedBy: 'recovered' });
      return;
    }
    const op = OPS[task.type]!;
    const primaryKey = typeof task.details?.primaryKey === 'string' ? task.details.primaryKey : null;
    try {
      await this.workflows.startLifecycle({ op, indexUid, primaryKey, shards: this.loaded.config.cluster.shards, taskUid: task.uid, requestedBy: 'recovered' });
      this.logger.warn({ index: indexUid, task: task.uid, op }, 'started the workflow of an index task that was never started');
    } catch (err) {
      // Its workflow (or the one of an earlier task of the same kind) is running: not stalled.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
}
