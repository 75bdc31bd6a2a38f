import { Context, log, sleep } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import { isNodeHttpError } from '@miroir/meili';
import { notifyIndexesChanged, undispatchedIndexTasks } from '@miroir/store';
import { RESERVED_FILTERABLE } from '../workflows/settings-broadcast.contract';
import type { TaskError } from '../workflows/index-lifecycle.contract';
import type { WorkerNodeClients } from './node-clients';
import { onNode, taskFailure, waitNodeTask } from './node-errors';
import { markTaskFailed, markTaskSucceeded } from './task-status.activities';

export type ClaimOutcome = 'claimed' | 'exists' | 'busy';
export type DeletionMark = 'marked' | 'not_found' | 'busy';

/** How often, and how long per activity call, an operation waits for its turn (task order). */
const TURN_POLL_MS = 100;
const TURN_CALL_MS = 50_000;

export interface IndexLifecycleActivities {
  /**
   * Waits until every earlier workflow task of the index (a settings change, another index
   * operation) is dispatched, as its nodes would run them in order; false after ~50 s.
   */
  waitIndexTurn(input: { indexUid: string; taskUid: number }): Promise<boolean>;
  listIndexNodes(): Promise<string[]>;
  claimIndexCreation(input: { indexUid: string; primaryKey: string | null; shards: number }): Promise<ClaimOutcome>;
  createIndexOnNode(input: { nodeId: string; indexUid: string; primaryKey: string | null }): Promise<void>;
  deleteIndexOnNode(input: { nodeId: string; indexUid: string }): Promise<{ deletedDocuments: number }>;
  markIndexReady(input: { indexUid: string; taskUid: number | null; primaryKey: string | null }): Promise<void>;
  releaseIndexClaim(input: { indexUid: string; taskUid: number | null; error: TaskError }): Promise<void>;
  beginIndexDeletion(input: { indexUid: string }): Promise<DeletionMark>;
  finishIndexDeletion(input: { indexUid: string; taskUid: number | null; deletedDocuments: number }): Promise<void>;
  currentIndex(input: { indexUid: string }): Promise<{ state: string; primaryKey: string | null } | null>;
  countDocumentsOnNode(input: { nodeId: string; indexUid: string }): Promise<number>;
  updatePrimaryKeyOnNode(input: { nodeId: string; indexUid: string; primaryKey: string }): Promise<void>;
  finishPrimaryKeyUpdate(input: { indexUid: string; taskUid: number | null; primaryKey: string }): Promise<void>;
}

/**
 * Node and Postgres steps of the indexLifecycle workflow. Every step is idempotent: creating an
 * index a previous attempt already created, or deleting one already gone, succeeds.
 */
export function createIndexLifecycleActivities(ds: DataSource, nodes: WorkerNodeClients): IndexLifecycleActivities {
  return {
    async waitIndexTurn({ indexUid, taskUid }) {
      const deadline = Date.now() + TURN_CALL_MS;
      for (;;) {
        if ((await undispatchedIndexTasks(ds, indexUid, { beforeUid: taskUid })).uids.length === 0) return true;
        if (Date.now() > deadline) return false;
        Context.current().heartbeat();
        await sleep(TURN_POLL_MS);
      }
    },

    listIndexNodes: () => nodes.indexNodeIds(),

    async claimIndexCreation({ indexUid, primaryKey, shards }) {
      const inserted: unknown[] = await ds.query(
        `INSERT INTO indexes (uid, primary_key, shards, state) VALUES ($1, $2, $3, 'creating') ON CONFLICT (uid) DO NOTHING RETURNING uid`,
        [indexUid, primaryKey, shards],
      );
      if (inserted.length > 0) return 'claimed';
      const [row]: Array<{ state: string }> = await ds.query(`SELECT state FROM indexes WHERE uid = $1`, [indexUid]);
      if (!row) return 'busy'; // deleted between the two statements: the workflow tries again
      // The create workflow id is a singleton per index: a row still `creating` is this workflow's
      // own (an earlier attempt of this activity) or a dead run's, so taking it over is safe.
      if (row.state === 'creating') return 'claimed';
      return row.state === 'ready' ? 'exists' : 'busy';
    },

    async createIndexOnNode({ nodeId, indexUid, primaryKey }) {
      const client = await nodes.get(nodeId);
      await onNode(nodeId, client, async (c) => {
        let task = await waitNodeTask(c, (await c.createIndex(indexUid, primaryKey)).taskUid);
        if (task.status === 'failed' && task.error?.code === 'index_already_exists') {
          // On a retry the index is most likely our own earlier attempt's. On the first attempt it
          // is an orphan Miroir does not know (a rollback or deletion that could not reach this
          // node): drop it rather than resurrect its documents under a new index.
          if (Context.current().info.attempt === 1) {
            log.warn('dropping an orphan index left on a node', { node: nodeId, index: indexUid });
            await waitNodeTask(c, (await c.deleteIndex(indexUid)).taskUid);
            task = await waitNodeTask(c, (await c.createIndex(indexUid, primaryKey)).taskUid);
          } else {
            task = { ...task, status: 'succeeded', error: null };
          }
        }
        if (task.status !== 'succeeded') throw taskFailure(nodeId, task);
        const filterable = await waitNodeTask(c, (await c.settingsSubRoute<{ taskUid: number }>('PUT', indexUid, 'filterable-attributes', [...RESERVED_FILTERABLE])).taskUid);
        if (filterable.status !== 'succeeded') throw taskFailure(nodeId, filterable);
      });
    },

    async deleteIndexOnNode({ nodeId, indexUid }) {
      const client = await nodes.get(nodeId);
      return onNode(nodeId, client, async (c) => {
        let enqueued;
        try {
          enqueued = await c.deleteIndex(indexUid);
        } catch (err) {
          if (isNodeHttpError(err, 'index_not_found')) return { deletedDocuments: 0 };
          throw err;
        }
        const task = await waitNodeTask(c, enqueued.taskUid);
        if (task.status === 'failed' && task.error?.code === 'index_not_found') return { deletedDocuments: 0 };
        if (task.status !== 'succeeded') throw taskFailure(nodeId, task);
        const deleted = task.details?.['deletedDocuments'];
        return { deletedDocuments: typeof deleted === 'number' ? deleted : 0 };
      });
    },

    async markIndexReady({ indexUid, taskUid, primaryKey }) {
      await ds.transaction(async (tx) => {
        await tx.query(`UPDATE indexes SET state = 'ready', updated_at = now() WHERE uid = $1 AND state = 'creating'`, [indexUid]);
        await markTaskSucceeded(tx, taskUid, { primaryKey });
        await notifyIndexesChanged(tx, indexUid);
      });
    },

    async releaseIndexClaim({ indexUid, taskUid, error }) {
      await ds.transaction(async (tx) => {
        await tx.query(`DELETE FROM indexes WHERE uid = $1 AND state = 'creating'`, [indexUid]);
        await markTaskFailed(tx, taskUid, error);
        await notifyIndexesChanged(tx, indexUid);
      });
    },

    async beginIndexDeletion({ indexUid }) {
      return ds.transaction(async (tx) => {
        const [row]: Array<{ state: string }> = await tx.query(`SELECT state FROM indexes WHERE uid = $1 FOR UPDATE`, [indexUid]);
        if (!row) return 'not_found';
        if (row.state === 'creating') return 'busy';
        if (row.state === 'ready') {
          await tx.query(`UPDATE indexes SET state = 'deleting', updated_at = now() WHERE uid = $1`, [indexUid]);
          await notifyIndexesChanged(tx, indexUid);
        }
        return 'marked';
      });
    },

    async finishIndexDeletion({ indexUid, taskUid, deletedDocuments }) {
      // Every document lived on RG × RF nodes: report each once, as one Meilisearch would.
      const topology = await nodes.topology();
      const copies = Math.max(1, topology.replicationFactor * topology.replicaGroups);
      await ds.transaction(async (tx) => {
        await tx.query(`DELETE FROM indexes WHERE uid = $1 AND state = 'deleting'`, [indexUid]);
        await markTaskSucceeded(tx, taskUid, { deletedDocuments: Math.round(deletedDocuments / copies) });
        await notifyIndexesChanged(tx, indexUid);
      });
    },

    async currentIndex({ indexUid }) {
      const [row]: Array<{ state: string; primary_key: string | null }> = await ds.query(`SELECT state, primary_key FROM indexes WHERE uid = $1`, [indexUid]);
      return row ? { state: row.state, primaryKey: row.primary_key } : null;
    },

    async countDocumentsOnNode({ nodeId, indexUid }) {
      const client = await nodes.get(nodeId);
      return onNode(nodeId, client, async (c) => {
        try {
          return (await c.stats(indexUid)).numberOfDocuments;
        } catch (err) {
          if (isNodeHttpError(err, 'index_not_found')) return 0;
          throw err;
        }
      });
    },

    async updatePrimaryKeyOnNode({ nodeId, indexUid, primaryKey }) {
      const client = await nodes.get(nodeId);
      await onNode(nodeId, client, async (c) => {
        const task = await waitNodeTask(c, (await c.updateIndex(indexUid, { primaryKey })).taskUid);
        if (task.status !== 'succeeded') throw taskFailure(nodeId, task);
      });
    },

    async finishPrimaryKeyUpdate({ indexUid, taskUid, primaryKey }) {
      await ds.transaction(async (tx) => {
        await tx.query(`UPDATE indexes SET primary_key = $2, updated_at = now() WHERE uid = $1`, [indexUid, primaryKey]);
        await markTaskSucceeded(tx, taskUid, { primaryKey });
        await notifyIndexesChanged(tx, indexUid);
      });
    },
  };
}
