import { log } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import { isNodeHttpError, type NodeClient, type Task } from '@miroir/meili';
import { markTaskDispatched, notifyIndexesChanged } from '@miroir/store';
import type { TaskError } from '../workflows/index-lifecycle.contract';
import type { NodeDispatch } from '../workflows/settings-broadcast.contract';
import type { WorkerNodeClients } from './node-clients';
import { onNode, waitNodeTask } from './node-errors';
import { settingsHash } from './settings-canonical';
import { markTaskFailed, markTaskProcessing, markTaskSucceeded } from './task-status.activities';

export type NodeApplyOutcome = { outcome: 'succeeded' } | { outcome: 'failed'; error: TaskError };

export interface SettingsBroadcastActivities {
  /** Marks the change in flight; the nodes to send it to, or `exists: false` if the index is gone. */
  prepareSettingsDispatch(input: { indexUid: string; taskUid: number }): Promise<{ exists: boolean; nodes: string[] }>;
  /** Enqueues the patch on one node and returns its node task (or the node's refusal) without waiting. */
  enqueueSettingsOnNode(input: { nodeId: string; indexUid: string; patch: Record<string, unknown> }): Promise<NodeDispatch>;
  /** The change is enqueued on every node that answered: later document writes may go (task order). */
  markSettingsDispatched(input: { indexUid: string; taskUid: number }): Promise<void>;
  beginSettingsChange(input: { indexUid: string; taskUid: number }): Promise<{ exists: boolean; version: number }>;
  waitSettingsNodeTask(input: { nodeId: string; nodeTaskUid: number }): Promise<NodeApplyOutcome>;
  readSettingsHash(input: { nodeId: string; indexUid: string }): Promise<string>;
  repairSettingsOnNode(input: { indexUid: string; fromNodeId: string; toNodeId: string }): Promise<NodeApplyOutcome>;
  commitSettingsChange(input: { indexUid: string; taskUid: number; expectedVersion: number; hash: string; settle: boolean }): Promise<number>;
  failSettingsChange(input: { indexUid: string; taskUid: number; error: TaskError; freezeReason?: string; settle?: boolean }): Promise<void>;
  settleSettingsState(input: { indexUid: string }): Promise<void>;
}

/** Node and Postgres steps of the settingsBroadcast workflow (docs/settings-and-indexes.md). All idempotent. */
export function createSettingsBroadcastActivities(ds: DataSource, nodes: WorkerNodeClients): SettingsBroadcastActivities {
  const outcomeOf = (task: Task): NodeApplyOutcome =>
    task.status === 'succeeded' ? { outcome: 'succeeded' } : { outcome: 'failed', error: task.error ?? { message: `node task ${task.status}`, code: 'internal', type: 'internal', link: '' } };

  /** Enqueues a patch; a synchronous refusal (4xx: an invalid value the API let through, a missing index) is the change's answer, not a transport problem. */
  const enqueue = async (c: NodeClient, indexUid: string, patch: Record<string, unknown>): Promise<NodeDispatch> => {
    try {
      return { outcome: 'enqueued', nodeTaskUid: (await c.updateSettings(indexUid, patch)).taskUid };
    } catch (err) {
      if (isNodeHttpError(err) && err.status < 500) return { outcome: 'failed', error: err.toMeiliError() };
      throw err;
    }
  };

  // Enqueue and wait (repairs). Re-applying the same patch is harmless, so a retry after a lost answer is safe.
  const apply = async (nodeId: string, indexUid: string, patch: Record<string, unknown>): Promise<NodeApplyOutcome> => {
    const client = await nodes.get(nodeId);
    return onNode(nodeId, client, async (c) => {
      const enqueued = await enqueue(c, indexUid, patch);
      if (enqueued.outcome !== 'enqueued') return { outcome: 'failed', error: enqueued.error };
      return outcomeOf(await waitNodeTask(c, enqueued.nodeTaskUid));
    });
  };

  return {
    async prepareSettingsDispatch({ indexUid, taskUid }) {
      return ds.transaction(async (tx) => {
        const [row]: Array<{ state: string }> = await tx.query(`SELECT state FROM indexes WHERE uid = $1`, [indexUid]);
        if (!row || row.state !== 'ready') return { exists: false, nodes: [] };
        log.debug('dispatching a settings change', { index: indexUid, taskUid });
        await tx.query(
          `INSERT INTO index_settings_state (index_uid, in_flight_since) VALUES ($1, now())
           ON CONFLICT (index_uid) DO UPDATE SET in_flight_since = COALESCE(index_settings_state.in_flight_since, now()), updated_at = now()`,
          [indexUid],
        );
        await notifyIndexesChanged(tx, indexUid);
        return { exists: true, nodes: await nodes.indexNodeIds() };
      });
    },

    // Not idempotent on the node, and need not be: a retry after a lost answer enqueues the same
    // patch again right behind the first (the workflow sends the next change only after this
    // activity returned), and applying a patch twice in a row leaves the same settings.
    async enqueueSettingsOnNode({ nodeId, indexUid, patch }) {
      const client = await nodes.get(nodeId);
      return onNode(nodeId, client, (c) => enqueue(c, indexUid, patch));
    },

    async markSettingsDispatched({ indexUid, taskUid }) {
      await ds.transaction(async (tx) => {
        await markTaskDispatched(tx, taskUid);
        // Wakes the API pods' writes waiting for this change (apps/api/src/tasks/task-order.service.ts).
        await notifyIndexesChanged(tx, indexUid);
      });
    },

    async beginSettingsChange({ indexUid, taskUid }) {
      return ds.transaction(async (tx) => {
        const [row]: Array<{ settings_version: number; state: string }> = await tx.query(`SELECT settings_version, state FROM indexes WHERE uid = $1`, [indexUid]);
        if (!row || row.state !== 'ready') return { exists: false, version: 0 };
        await markTaskProcessing(tx, taskUid);
        await notifyIndexesChanged(tx, indexUid);
        return { exists: true, version: Number(row.settings_version) };
      });
    },

    async waitSettingsNodeTask({ nodeId, nodeTaskUid }) {
      const client = await nodes.get(nodeId);
      return onNode(nodeId, client, async (c) => outcomeOf(await waitNodeTask(c, nodeTaskUid)));
    },

    async readSettingsHash({ nodeId, indexUid }) {
      const client = await nodes.get(nodeId);
      return onNode(nodeId, client, async (c) => settingsHash(await c.getSettings(indexUid)));
    },

    async repairSettingsOnNode({ indexUid, fromNodeId, toNodeId }) {
      const source = await nodes.get(fromNodeId);
      const reference = await onNode(fromNodeId, source, (c) => c.getSettings(indexUid));
      log.warn('repairing settings on a node that diverged', { index: indexUid, node: toNodeId, reference: fromNodeId });
      return apply(toNodeId, indexUid, reference);
    },

    // `settle`: no other change is queued, so the index is consistent again from this commit on.
    async commitSettingsChange({ indexUid, taskUid, expectedVersion, hash, settle }) {
      return ds.transaction(async (tx) => {
        // Guarded by the version read at the start: a retried commit does not bump twice.
        await tx.query(
          `UPDATE indexes SET settings_version = $2 + 1, settings_hash = $3, updated_at = now() WHERE uid = $1 AND settings_version = $2`,
          [indexUid, expectedVersion, hash],
        );
        await tx.query(
          `UPDATE index_settings_state SET frozen_reason = NULL, in_flight_since = CASE WHEN $2 THEN NULL ELSE in_flight_since END, updated_at = now() WHERE index_uid = $1`,
          [indexUid, settle],
        );
        await markTaskSucceeded(tx, taskUid);
        await notifyIndexesChanged(tx, indexUid);
        const [row]: Array<{ settings_version: number }> = await tx.query(`SELECT settings_version FROM indexes WHERE uid = $1`, [indexUid]);
        return Number(row?.settings_version ?? expectedVersion + 1);
      });
    },

    async failSettingsChange({ indexUid, taskUid, error, freezeReason, settle }) {
      await ds.transaction(async (tx) => {
        if (settle) await tx.query(`UPDATE index_settings_state SET in_flight_since = NULL, updated_at = now() WHERE index_uid = $1`, [indexUid]);
        if (freezeReason !== undefined) {
          log.error('settings did not converge on every node: index frozen for writes', { index: indexUid, reason: freezeReason });
          await tx.query(
            `INSERT INTO index_settings_state (index_uid, frozen_reason) SELECT uid, $2 FROM indexes WHERE uid = $1
             ON CONFLICT (index_uid) DO UPDATE SET frozen_reason = $2, updated_at = now()`,
            [indexUid, freezeReason],
          );
        }
        await markTaskFailed(tx, taskUid, error);
        await notifyIndexesChanged(tx, indexUid);
      });
    },

    async settleSettingsState({ indexUid }) {
      await ds.transaction(async (tx) => {
        await tx.query(`UPDATE index_settings_state SET in_flight_since = NULL, updated_at = now() WHERE index_uid = $1`, [indexUid]);
        await notifyIndexesChanged(tx, indexUid);
      });
    },
  };
}
