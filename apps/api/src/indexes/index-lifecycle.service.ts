import { Inject, Injectable } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { LoadedConfig, Logger } from '@miroir/config';
import type { IndexRecord, TaskRecord } from '@miroir/store';
import { markTaskFailed } from '../../../../activities/task-status.activities';
import { taskError, type IndexLifecycleInput } from '../../../../workflows/index-lifecycle.contract';
import { IndexRegistry } from '../cluster/index-registry.service';
import { NodeClientsService } from '../cluster/node-clients.service';
import { errors } from '../errors/catalog';
import { MeiliError } from '../errors/meili-error';
import { DATA_SOURCE, LOADED_CONFIG, LOGGER } from '../infra/tokens';
import { TaskRegistry } from '../tasks/task-registry.service';
import type { IndexLifecycle } from './index-lifecycle.contract';
import { assertIndexUid } from './index-uid';
import { lifecycleWorkflowId, WorkflowStarter } from './workflow-starter.service';

const TASK_TYPE = { create: 'indexCreation', delete: 'indexDeletion', update: 'indexUpdate' } as const;

/**
 * Index creation, deletion and primary-key changes (docs/settings-and-indexes.md). Each is an indexLifecycle workflow
 * whose Miroir task the client gets at once (202), as Meilisearch enqueues a task: an index that
 * already exists, or one to delete that does not, fails the task rather than the request.
 */
@Injectable()
export class IndexLifecycleService implements IndexLifecycle {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(LOADED_CONFIG) private readonly loaded: LoadedConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly registry: IndexRegistry,
    private readonly tasks: TaskRegistry,
    private readonly workflows: WorkflowStarter,
    private readonly clients: NodeClientsService,
  ) {}

  create(uid: string, primaryKey: string | null, requestedBy = 'api'): Promise<TaskRecord> {
    assertIndexUid(uid);
    return this.run({ op: 'create', indexUid: uid, primaryKey, shards: this.loaded.config.cluster.shards, taskUid: null, requestedBy }, { primaryKey });
  }

  delete(uid: string, requestedBy = 'api'): Promise<TaskRecord> {
    return this.run({ op: 'delete', indexUid: uid, taskUid: null, requestedBy }, { deletedDocuments: null });
  }

  updatePrimaryKey(uid: string, primaryKey: string | null, requestedBy = 'api'): Promise<TaskRecord> {
    return this.run({ op: 'update', indexUid: uid, primaryKey, taskUid: null, requestedBy }, { primaryKey });
  }

  async ensureExists(uid: string, primaryKey: string | null): Promise<IndexRecord> {
    const known = await this.registry.find(uid);
    if (known?.state === 'ready') return known;
    assertIndexUid(uid);
    const result = await this.workflows.createAndWait({
      op: 'create',
      indexUid: uid,
      primaryKey,
      shards: this.loaded.config.cluster.shards,
      taskUid: null,
      requestedBy: 'implicit',
    });
    const fresh = await this.registry.reloadOne(uid);
    if (fresh?.state === 'ready') return fresh;
    const e = result.error;
    throw e ? new MeiliError(e.code, e.message, e.type === 'system' ? 503 : 400, e.type === 'system' ? 'system' : 'invalid_request') : errors.indexNotFound(uid);
  }

  async setPrimaryKey(uid: string, primaryKey: string): Promise<IndexRecord> {
    // Conditional: two pods racing on the first write of an index agree on whichever won.
    await this.ds.query(`UPDATE indexes SET primary_key = $2, updated_at = now() WHERE uid = $1 AND primary_key IS NULL`, [uid, primaryKey]);
    await this.ds.query(`SELECT pg_notify('miroir_indexes', $1)`, [uid]);
    const record = await this.registry.reloadOne(uid);
    if (!record) throw errors.indexNotFound(uid);
    if (record.primaryKey === primaryKey) await this.broadcastPrimaryKey(uid, primaryKey);
    return record;
  }

  /**
   * Tells every node the key now, so a node that receives no document of this batch still ends
   * with the same key. Best effort: the write path also sends `?primaryKey=` to the nodes it writes.
   */
  private async broadcastPrimaryKey(uid: string, primaryKey: string): Promise<void> {
    await Promise.all(
      this.clients.all().map(async (c) => {
        try {
          const task = await c.updateIndex(uid, { primaryKey });
          await c.waitForTask(task.taskUid, { timeoutMs: 10_000 });
        } catch (err) {
          this.logger.warn({ node: c.id, index: uid, err: (err as Error).message }, 'could not set the primary key on a node');
        }
      }),
    );
  }

  private async run(input: IndexLifecycleInput, details: Record<string, unknown>): Promise<TaskRecord> {
    const workflowId = lifecycleWorkflowId(input.indexUid, input.op);
    const task = await this.tasks.createWorkflowTask({ indexUid: input.indexUid, type: TASK_TYPE[input.op], workflowId, details });
    try {
      await this.workflows.startLifecycle({ ...input, taskUid: task.uid });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        // The same operation on the same index is running: as Meilisearch processing two such
        // tasks in order, the second one fails (the index exists by then, or is gone).
        const error =
          input.op === 'create'
            ? taskError('index_already_exists', `Index \`${input.indexUid}\` already exists.`)
            : input.op === 'delete'
              ? taskError('index_not_found', `Index \`${input.indexUid}\` not found.`)
              : taskError('miroir_index_busy', `Index \`${input.indexUid}\` is being updated; try again.`, 'system');
        await markTaskFailed(this.ds, task.uid, error);
        return task;
      }
      await markTaskFailed(this.ds, task.uid, taskError('internal', 'The operation could not be started.', 'internal'));
      throw err;
    }
    return task;
  }
}
