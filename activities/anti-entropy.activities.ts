// Steps of the antiEntropy workflow (docs/design.md#workflows): compare the replicas of one shard — every owner in
// every replica group — by primary-key set and content fingerprint, and repair what differs as
// libs/core's reconcileDocument decides (newest `_miroir_updated_at` wins; a deletion the log says
// came later wins over an older copy; what cannot be decided safely is reported, not touched).
//
// Writes in flight look like differences (sent to every replica, applied by some so far), so what
// a first scan finds is read again, by id, after a settling delay; only what still differs then is
// repaired. A client write to the same document between that second read and the repair can be
// overwritten on the repaired replica by the version read; it is newer, so the next run puts it
// back (docs/operations.md says so).
import { Context } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import {
  buildShardTable,
  parseFilter,
  reconcileDocument,
  updatedAtOf,
  type Deletion,
  type ReplicaCopy,
  type UnresolvedReason,
} from '@miroir/core';
import { isNodeUnavailable, type Document } from '@miroir/meili';
import { CDC_DELETIONS, CDC_UPSERTS, listMigrations, toCoreTopology } from '@miroir/store';
import type { WorkerNodeClients } from './node-clients';
import { fingerprint, keyOf, scanFingerprints, shardOnly, type ShardFingerprints } from './migration-documents';
import { cancellationSignal, deleteDocuments, heartbeatEvery, onNodeCall, throwIfCancelled, writeDocuments } from './migration-nodes';

export interface AntiEntropyIndex {
  uid: string;
  primaryKey: string;
  shards: number;
}

export interface ReconcileShardInput {
  index: string;
  primaryKey: string;
  shards: number;
  shard: number;
  pageSize: number;
  settleMs: number;
  /**
   * Return what differs instead of settling here (the workflow waits once for every shard of the
   * index, then calls again with `candidates`), when there are at most MAX_DEFERRED of them.
   */
  deferSettle?: boolean;
  /** Ids that differed in an earlier scan, settled since: re-read them and repair, no scan. */
  candidates?: Array<string | number>;
}

/** Ids carried through the workflow history per shard, at most (a larger set settles in the activity). */
export const MAX_DEFERRED = 5_000;

export type ShardSkipReason = 'migrating' | 'single_replica' | 'replica_unavailable';

export interface ReconcileShardResult {
  shard: number;
  replicas: string[];
  skipped?: ShardSkipReason;
  /** Distinct documents found on the replicas. */
  documents: number;
  /** Documents that still differed after the settling delay. */
  differing: number;
  written: number;
  deleted: number;
  unresolved: Partial<Record<UnresolvedReason, number>>;
  /** A few unresolved primary keys, for the operator. */
  unresolvedKeys: string[];
  /** With `deferSettle`: the ids that differed, to be re-read after the settling delay. */
  pending?: Array<string | number>;
}

const UNRESOLVED_KEYS_SHOWN = 20;

interface OutboxRow {
  operation: string;
  keys: string[];
  /** JSON text. */
  filter: string | null;
  at: number;
}

export function createAntiEntropyActivities(ds: DataSource, nodes: WorkerNodeClients) {
  /** Every owner of the shard in every group, or why the shard is not compared now. */
  async function replicasOf(input: ReconcileShardInput): Promise<{ replicas: string[]; skipped?: ShardSkipReason }> {
    // A migrating shard is verified and repaired by its shardMigration workflow.
    if ((await listMigrations(ds, input.index)).some((m) => m.shard === input.shard)) return { replicas: [], skipped: 'migrating' };
    const topology = toCoreTopology(await nodes.topology());
    const table = buildShardTable(topology, input.shards);
    const replicas = [...new Set(Array.from({ length: topology.groups }, (_, g) => table.owners(g, input.shard)).flat())].sort();
    return replicas.length < 2 ? { replicas, skipped: 'single_replica' } : { replicas };
  }

  /** The deletions and the newest write of each key after `since`, from the outbox. */
  async function readLog(index: string, keys: readonly string[], since: number): Promise<{ deletions: Deletion[]; lastWrite: Map<string, number> }> {
    const rows: OutboxRow[] = await ds.query(
      // Writes whose task failed or was canceled changed nothing (a task pruned by its TTL is
      // taken as done: it is older than tasks.ttl_seconds).
      `SELECT o.operation, o.filter, round(extract(epoch FROM o.created_at) * 1000)::float8 AS at,
              (SELECT coalesce(jsonb_agg(k), '[]'::jsonb) FROM jsonb_array_elements_text(o.primary_keys) k WHERE k = ANY($3::text[])) AS keys
         FROM cdc_outbox o LEFT JOIN tasks t ON t.uid = o.task_uid
        WHERE o.index_uid = $1 AND o.internal = false AND o.created_at > to_timestamp($2::float8 / 1000)
          AND (o.operation = ANY($4::text[]) OR o.primary_keys ?| $3::text[])
          AND (t.status IS NULL OR t.status NOT IN ('failed', 'canceled'))
        ORDER BY o.created_at`,
      [index, since, keys, CDC_DELETIONS.filter((o) => o !== 'deleteByIds')],
    );
    const deletions: Deletion[] = [];
    const lastWrite = new Map<string, number>();
    for (const r of rows) {
      const at = Number(r.at);
      if ((CDC_UPSERTS as readonly string[]).includes(r.operation)) {
        for (const k of r.keys) lastWrite.set(k, Math.max(at, lastWrite.get(k) ?? -Infinity));
      } else if (r.operation === 'deleteByIds') {
        deletions.push({ at, kind: 'ids', keys: new Set(r.keys) });
      } else if (r.operation === 'deleteAll') {
        deletions.push({ at, kind: 'all' });
      } else if (r.operation === 'deleteByFilter') {
        deletions.push({ at, kind: 'filter', filter: parseStoredFilter(r.filter) });
      }
    }
    return { deletions, lastWrite };
  }

  return {
    /** Ready indexes with a primary key, in uid order after `after`. */
    async listAntiEntropyIndexes({ after, limit }: { after: string | null; limit: number }): Promise<AntiEntropyIndex[]> {
      const rows: Array<{ uid: string; primary_key: string; shards: number }> = await ds.query(
        `SELECT uid, primary_key, shards FROM indexes WHERE state = 'ready' AND primary_key IS NOT NULL AND ($1::text IS NULL OR uid > $1) ORDER BY uid LIMIT $2`,
        [after, limit],
      );
      return rows.map((r) => ({ uid: r.uid, primaryKey: r.primary_key, shards: r.shards }));
    },

    async reconcileShard(input: ReconcileShardInput): Promise<ReconcileShardResult> {
      const { replicas, skipped } = await replicasOf(input);
      const result: ReconcileShardResult = { shard: input.shard, replicas, documents: 0, differing: 0, written: 0, deleted: 0, unresolved: {}, unresolvedKeys: [] };
      if (skipped) return { ...result, skipped };
      let phase = 'scan';
      let pages = 0;
      const stopTicker = heartbeatEvery(() => ({ phase, pages }));
      /** Every replica's fingerprints, or null when one does not answer. */
      const scanReplicas = async (): Promise<Map<string, ShardFingerprints> | null> => {
        const prints = new Map<string, ShardFingerprints>();
        const onPage = (): void => {
          pages++;
          throwIfCancelled();
        };
        for (const node of replicas) {
          try {
            const client = await nodes.get(node);
            prints.set(node, await scanFingerprints(client, input.index, input.shard, input.primaryKey, input.pageSize, onPage, { signal: cancellationSignal() }));
          } catch (err) {
            // A replica that does not answer cannot be compared: a document only it holds would
            // look deleted everywhere else. The workflow tries the shard again later.
            if (isNodeUnavailable(err)) return null;
            throw err;
          }
        }
        return prints;
      };
      try {
        // 1. Fingerprints of every replica (unless this call follows a scan that found differences).
        let candidates: Map<string, string | number>;
        if (input.candidates) {
          candidates = new Map(input.candidates.map((id) => [String(id), id]));
        } else {
          const prints = await scanReplicas();
          if (prints === null) return { ...result, skipped: 'replica_unavailable' };
          candidates = differingKeys(prints);
          result.documents = new Set([...prints.values()].flatMap((p) => [...p.hashes.keys()])).size;
          if (candidates.size === 0) return result;
          if (input.deferSettle && candidates.size <= MAX_DEFERRED) return { ...result, pending: [...candidates.values()] };
          // 2. Let writes in flight land, then read what differed again, by id.
          phase = 'settle';
          if (input.settleMs > 0) await Context.current().sleep(input.settleMs);
        }
        phase = 'recheck';
        const ids = [...candidates.values()];
        const copies = new Map<string, Map<string, ReplicaCopy | null>>();
        for (const node of replicas) {
          const client = await nodes.get(node);
          const found = new Map<string, Document>();
          for (let i = 0; i < ids.length; i += input.pageSize) {
            const page = ids.slice(i, i + input.pageSize);
            const res = await onNodeCall(node, () =>
              client.getDocuments(input.index, { ids: page, filter: shardOnly(input.shard), limit: page.length }, { signal: cancellationSignal() }),
            );
            pages++;
            for (const doc of res.results) found.set(keyOf(doc, input.primaryKey), doc);
          }
          for (const key of candidates.keys()) {
            const doc = found.get(key);
            const perKey = copies.get(key) ?? new Map<string, ReplicaCopy | null>();
            perKey.set(node, doc === undefined ? null : { fingerprint: fingerprint(doc), doc });
            copies.set(key, perKey);
          }
        }

        // 3. Decide with the log of acknowledged writes since the oldest copy involved.
        phase = 'decide';
        let since = Infinity;
        for (const perKey of copies.values()) for (const c of perKey.values()) if (c) since = Math.min(since, updatedAtOf(c.doc) ?? Infinity);
        const log = since === Infinity ? { deletions: [], lastWrite: new Map<string, number>() } : await readLog(input.index, [...copies.keys()], since);
        const writes = new Map<string, Document[]>(replicas.map((n) => [n, []]));
        const deletes = new Map<string, Array<string | number>>(replicas.map((n) => [n, []]));
        for (const [key, perKey] of copies) {
          const decision = reconcileDocument(key, perKey, log.deletions, log.lastWrite.get(key) ?? null);
          if (decision.action === 'none') continue;
          result.differing++;
          if (decision.action === 'write') {
            for (const n of decision.to) writes.get(n)!.push(decision.doc);
          } else if (decision.action === 'delete') {
            for (const n of decision.from) deletes.get(n)!.push(candidates.get(key)!);
          } else {
            result.unresolved[decision.reason] = (result.unresolved[decision.reason] ?? 0) + 1;
            if (result.unresolvedKeys.length < UNRESOLVED_KEYS_SHOWN) result.unresolvedKeys.push(key);
          }
        }

        // 4. Repair, a page at a time, each page's node task awaited.
        phase = 'repair';
        for (const [node, docs] of writes) {
          for (let i = 0; i < docs.length; i += input.pageSize) {
            const page = docs.slice(i, i + input.pageSize);
            await writeDocuments(nodes, node, input.index, page);
            result.written += page.length;
          }
        }
        for (const [node, keys] of deletes) {
          for (let i = 0; i < keys.length; i += input.pageSize) {
            const page = keys.slice(i, i + input.pageSize);
            await deleteDocuments(nodes, node, input.index, page);
            result.deleted += page.length;
          }
        }
        return result;
      } finally {
        stopTicker();
      }
    },
  };
}

export type AntiEntropyActivities = ReturnType<typeof createAntiEntropyActivities>;

/** Keys whose copies differ between replicas (missing somewhere, or another fingerprint), with their stored id. */
function differingKeys(prints: ReadonlyMap<string, ShardFingerprints>): Map<string, string | number> {
  const out = new Map<string, string | number>();
  const all = [...prints.values()];
  for (const p of all) {
    for (const [key, hash] of p.hashes) {
      if (out.has(key)) continue;
      if (all.some((q) => q.hashes.get(key) !== hash)) out.set(key, p.ids.get(key)!);
    }
  }
  return out;
}

/** A stored delete filter (JSON text), parsed; null (matches nothing) if it somehow no longer parses. */
function parseStoredFilter(filter: string | null): ReturnType<typeof parseFilter> {
  if (filter === null) return null;
  try {
    return parseFilter(JSON.parse(filter));
  } catch {
    return null;
  }
}
