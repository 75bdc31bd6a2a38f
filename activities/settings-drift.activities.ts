import type { DataSource } from 'typeorm';
import { notifyIndexesChanged } from '@miroir/store';
import type { WorkerNodeClients } from './node-clients';
import { settingsHash } from './settings-canonical';

/** Bound on one node's settings read: a slow node is skipped until the next run. */
const READ_TIMEOUT_MS = 10_000;

export interface DriftCandidate {
  uid: string;
  /** The committed settings hash (indexes.settings_hash): what every node must hold. */
  hash: string;
  frozen: boolean;
}

export interface SettingsDriftActivities {
  /** Up to `limit` candidates after `after` (uid order), and the nodes holding data. */
  listSettingsDriftCandidates(input: { after: string | null; limit: number }): Promise<{ indexes: DriftCandidate[]; nodes: string[] }>;
  /** Every node's settings hash for the index, null where the node did not answer. */
  readSettingsHashes(input: { indexUid: string; nodeIds: string[] }): Promise<Record<string, string | null>>;
  unfreezeSettings(input: { indexUid: string; hash: string }): Promise<boolean>;
}

/**
 * Steps of the settingsDrift workflow (docs/settings-and-indexes.md); repairs use settingsBroadcast's
 * `repairSettingsOnNode`. Idempotent.
 */
export function createSettingsDriftActivities(ds: DataSource, nodes: WorkerNodeClients): SettingsDriftActivities {
  return {
    // Indexes with a committed hash and no change in flight: a change in flight is checked by its
    // own broadcast, and an index that never committed a change has no reference to repair to.
    async listSettingsDriftCandidates({ after, limit }) {
      const rows: Array<{ uid: string; settings_hash: string; frozen_reason: string | null }> = await ds.query(
        `SELECT i.uid, i.settings_hash, s.frozen_reason FROM indexes i LEFT JOIN index_settings_state s ON s.index_uid = i.uid
         WHERE i.state = 'ready' AND i.settings_hash IS NOT NULL AND s.in_flight_since IS NULL AND ($1::text IS NULL OR i.uid > $1)
         ORDER BY i.uid LIMIT $2`,
        [after, limit],
      );
      return { indexes: rows.map((r) => ({ uid: r.uid, hash: r.settings_hash, frozen: r.frozen_reason !== null })), nodes: await nodes.indexNodeIds() };
    },

    // One activity per index, not per node: the workflow's history stays small on large fleets.
    async readSettingsHashes({ indexUid, nodeIds }) {
      const read = await Promise.allSettled(
        nodeIds.map(async (id) => settingsHash(await (await nodes.get(id)).getSettings(indexUid, { timeoutMs: READ_TIMEOUT_MS }))),
      );
      return Object.fromEntries(nodeIds.map((id, i) => [id, read[i]!.status === 'fulfilled' ? (read[i] as PromiseFulfilledResult<string>).value : null]));
    },

    // Only while the committed hash is still the one every node was found holding and no change
    // has started since: a change that began meanwhile owns the freeze.
    async unfreezeSettings({ indexUid, hash }) {
      return ds.transaction(async (tx) => {
        const [{ n }]: Array<{ n: number }> = await tx.query(
          `WITH done AS (
             UPDATE index_settings_state s SET frozen_reason = NULL, updated_at = now()
             FROM indexes i WHERE s.index_uid = $1 AND i.uid = s.index_uid AND i.settings_hash = $2
               AND s.in_flight_since IS NULL AND s.frozen_reason IS NOT NULL
             RETURNING 1)
           SELECT count(*)::int AS n FROM done`,
          [indexUid, hash],
        );
        if (n > 0) await notifyIndexesChanged(tx, indexUid);
        return n > 0;
      });
    },
  };
}
