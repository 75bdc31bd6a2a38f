// Steps 3 and 6 of a shard migration: compare a reference replica with the others by primary-key
// set and content fingerprint (SHA-256 of canonical JSON), repairing differences — copy what is
// missing or different from the reference, delete what the reference does not have — and check
// that nodes giving the shard up hold none of it.
//
// Pages are read by offset while clients keep writing (dual-write), so a scan can skip or repeat a
// document whose neighbours were deleted meanwhile, and a write may have reached one replica and
// not yet the other. Every difference the scan finds is therefore confirmed by id, twice, once the
// nodes have processed their pending tasks; only a difference that holds still is repaired (see
// confirmDifferences). A pass counts as clean when no difference is confirmed, and the workflow
// repeats passes until one is clean.
import { ApplicationFailure } from '@temporalio/activity';
import type { Document, NodeClient } from '@miroir/meili';
import type { WorkerNodeClients } from './node-clients';
import { countShard, fingerprint, keyOf, scanFingerprints, shardOnly, type ShardFingerprints } from './migration-documents';
import { cancellationSignal, deleteDocuments, deleteShard, heartbeatEvery, onNodeCall, pickSource, throwIfCancelled, writeDocuments } from './migration-nodes';

/** How long a node may take to work through the tasks it already has before a verify compares. */
const SETTLE_TIMEOUT_MS = 5 * 60_000;

export interface VerifyShardInput {
  index: string;
  shard: number;
  primaryKey: string;
  /** Candidates for the reference replica, best first (the first one that answers is used). */
  sources: string[];
  /** Replicas that must equal the reference. */
  targets: string[];
  /** Nodes that must hold none of the shard (checked, and emptied again when they do). */
  absentFrom?: string[];
  pageSize: number;
  repair: boolean;
}

export interface TargetDiff {
  node: string;
  documents: number;
  missing: number;
  different: number;
  extra: number;
  /** Documents left alone because they changed while being compared (writes arriving). */
  unsettled: number;
}

export interface VerifyShardResult {
  source: string;
  sourceDocuments: number;
  targets: TargetDiff[];
  /** Documents still found on nodes in absentFrom (deleted again when repair is on). */
  leftovers: number;
  repaired: number;
  deleted: number;
  clean: boolean;
  /** A few confirmed differences (`node id kind`), for the operator reading a failed migration. */
  samples: string[];
}

/** Waits until each node has processed every task of the index it had been sent so far. */
async function settle(nodes: WorkerNodeClients, ids: readonly string[], index: string): Promise<void> {
  for (const id of ids) {
    await onNodeCall(id, async () => {
      const client = await nodes.get(id);
      const newest = (await client.getTasks({ indexUids: [index], limit: 1 }, { signal: cancellationSignal() })).results[0];
      // Tasks of one index run in order on a node: the newest one finishing means all have.
      if (newest) await client.waitForTask(newest.uid, { timeoutMs: SETTLE_TIMEOUT_MS, maxIntervalMs: 250, signal: cancellationSignal() });
    });
  }
}

interface Confirmed {
  samples: string[];
  missing: number;
  different: number;
  /** Documents whose value changed between the two reads: a write still on its way to both. */
  unsettled: number;
  /** Source versions to write to the target. */
  write: Document[];
  /** Ids the target has and the source does not. */
  extra: Array<string | number>;
}

/** One read of some ids on both sides: key → fingerprint on the target, key → document on the source. */
interface Snapshot {
  target: Map<string, string>;
  source: Map<string, Document>;
}

async function readBoth(
  nodes: WorkerNodeClients,
  source: { id: string; client: NodeClient },
  target: string,
  input: VerifyShardInput,
  ids: Array<string | number>,
): Promise<Snapshot> {
  const out: Snapshot = { target: new Map(), source: new Map() };
  const client = await nodes.get(target);
  for (let i = 0; i < ids.length; i += input.pageSize) {
    const chunk = ids.slice(i, i + input.pageSize);
    const fetch = (c: NodeClient, id: string) =>
      onNodeCall(id, () => c.getDocuments(input.index, { ids: chunk, filter: shardOnly(input.shard), limit: chunk.length }, { signal: cancellationSignal() }));
    for (const d of (await fetch(client, target)).results) out.target.set(keyOf(d, input.primaryKey), fingerprint(d));
    for (const d of (await fetch(source.client, source.id)).results) out.source.set(keyOf(d, input.primaryKey), d);
  }
  return out;
}

/**
 * The differences that hold still. The candidate ids are read on both sides twice, each time
 * after both nodes processed what they had been sent; a document is repaired only when it differs
 * and both sides show the same value in both reads. Without versions on the documents the newer
 * of two values cannot be told, so a document that changed in between is a write still arriving
 * (dual-write delivers it to both sides): repairing it from one side could put back an older value.
 */
async function confirmDifferences(
  nodes: WorkerNodeClients,
  source: { id: string; client: NodeClient },
  target: string,
  input: VerifyShardInput,
  ids: Array<string | number>,
): Promise<Confirmed> {
  const out: Confirmed = { samples: [], missing: 0, different: 0, unsettled: 0, write: [], extra: [] };
  const differs = (snap: Snapshot, key: string): boolean => {
    const doc = snap.source.get(key);
    return (doc === undefined ? undefined : fingerprint(doc)) !== snap.target.get(key);
  };
  const keyOfId = (id: string | number): string => keyOf({ [input.primaryKey]: id }, input.primaryKey);
  const first = await readBoth(nodes, source, target, input, ids);
  const suspects = ids.filter((id) => differs(first, keyOfId(id)));
  if (suspects.length === 0) return out;
  await settle(nodes, [source.id, target], input.index);
  const second = await readBoth(nodes, source, target, input, suspects);
  for (const id of suspects) {
    const key = keyOfId(id);
    if (!differs(second, key)) continue;
    const doc = second.source.get(key);
    const hash = second.target.get(key);
    const before = first.source.get(key);
    if (first.target.get(key) !== hash || (before === undefined ? undefined : fingerprint(before)) !== (doc === undefined ? undefined : fingerprint(doc))) {
      out.unsettled++;
      continue;
    }
    const kind = doc === undefined ? 'extra' : hash === undefined ? 'missing' : 'different';
    if (out.samples.length < 3) out.samples.push(`${target} ${JSON.stringify(id)} ${kind}`);
    if (doc === undefined) out.extra.push(id);
    else {
      out.write.push(doc);
      if (hash === undefined) out.missing++;
      else out.different++;
    }
  }
  return out;
}

export function createMigrationVerifyActivities(nodes: WorkerNodeClients) {
  return {
    async verifyShard(input: VerifyShardInput): Promise<VerifyShardResult> {
      let scanned = 0;
      const stopTicker = heartbeatEvery(() => ({ scanned }));
      try {
        const source = await pickSource(nodes, input.sources, input.index, input.shard);
        const targets = input.targets.filter((t) => t !== source.id);
        const onPage = (): void => {
          scanned++;
          throwIfCancelled();
        };
        // Targets first, then the source: a document written in between shows up as "missing"
        // (copied again, harmless) rather than as "extra" (deleted, which must be confirmed).
        const targetPrints = new Map<string, ShardFingerprints>();
        for (const t of targets) {
          const client = await nodes.get(t);
          targetPrints.set(t, await onNodeCall(t, () => scanFingerprints(client, input.index, input.shard, input.primaryKey, input.pageSize, onPage, { signal: cancellationSignal() })));
        }
        const diffs = new Map<string, TargetDiff>(targets.map((t) => [t, { node: t, documents: targetPrints.get(t)!.hashes.size, missing: 0, different: 0, extra: 0, unsettled: 0 }]));
        // Keys (and stored ids) that differ in the scan, per target: candidates only. A write in
        // flight reaches the source and the targets at different moments — on a real Meilisearch a
        // task can sit enqueued for a second or more — so the scan's differences are confirmed
        // once both sides have processed what they had been sent, and only those that remain are
        // repaired and counted. Without this a pass under steady writes is never clean.
        const candidates = new Map<string, Map<string, string | number>>(targets.map((t) => [t, new Map()]));
        const compare = (doc: Document): void => {
          const key = keyOf(doc, input.primaryKey);
          const hash = fingerprint(doc);
          for (const t of targets) {
            const prints = targetPrints.get(t)!;
            if (prints.hashes.get(key) !== hash) candidates.get(t)!.set(key, doc[input.primaryKey] as string | number);
            prints.hashes.delete(key);
          }
        };
        let sourceDocuments = 0;
        for (let offset = 0; ; offset += input.pageSize) {
          const page = await onNodeCall(source.id, () =>
            source.client.getDocuments(input.index, { filter: shardOnly(input.shard), offset, limit: input.pageSize }, { signal: cancellationSignal() }),
          );
          onPage();
          sourceDocuments += page.results.length;
          for (const doc of page.results) compare(doc);
          if (page.results.length < input.pageSize) break;
        }
        // What a target still has unmatched may have been skipped by the source scan (offset paging
        // under writes) or be extra: both are settled by the confirmation below.
        for (const t of targets) {
          const prints = targetPrints.get(t)!;
          for (const [key, id] of prints.ids) if (prints.hashes.has(key)) candidates.get(t)!.set(key, id);
        }
        let repaired = 0;
        let deleted = 0;
        const samples: string[] = [];
        if ([...candidates.values()].some((c) => c.size > 0)) {
          await settle(nodes, [source.id, ...targets], input.index);
          for (const t of targets) {
            const confirmed = await confirmDifferences(nodes, source, t, input, [...candidates.get(t)!.values()]);
            const d = diffs.get(t)!;
            d.missing += confirmed.missing;
            d.different += confirmed.different;
            d.extra += confirmed.extra.length;
            d.unsettled += confirmed.unsettled;
            samples.push(...confirmed.samples);
            if (!input.repair) continue;
            for (let i = 0; i < confirmed.write.length; i += input.pageSize) await writeDocuments(nodes, t, input.index, confirmed.write.slice(i, i + input.pageSize));
            for (let i = 0; i < confirmed.extra.length; i += input.pageSize) await deleteDocuments(nodes, t, input.index, confirmed.extra.slice(i, i + input.pageSize));
            repaired += confirmed.write.length;
            deleted += confirmed.extra.length;
          }
        }
        let leftovers = 0;
        const known = await nodes.indexNodeIds();
        for (const n of (input.absentFrom ?? []).filter((id) => known.includes(id))) {
          const client = await nodes.get(n);
          const count = await onNodeCall(n, () => countShard(client, input.index, input.shard, { signal: cancellationSignal() })).catch((err: unknown) => {
            // A node without the index holds none of it.
            if (err instanceof ApplicationFailure && /index_not_found|not found/i.test(err.message)) return 0;
            throw err;
          });
          leftovers += count;
          if (count > 0 && input.repair) deleted += await deleteShard(nodes, n, input.index, input.shard);
        }
        const differences = [...diffs.values()].reduce((a, d) => a + d.missing + d.different + d.extra, 0);
        return { source: source.id, sourceDocuments, targets: [...diffs.values()], leftovers, repaired, deleted, clean: differences === 0 && leftovers === 0, samples: samples.slice(0, 5) };
      } finally {
        stopTicker();
      }
    },

    /** Deletes the shard's documents from each node (idempotent); returns the count per node. */
    async deleteShardFrom(input: { index: string; shard: number; nodes: string[] }): Promise<Record<string, number>> {
      const out: Record<string, number> = {};
      const stopTicker = heartbeatEvery(() => out);
      try {
        for (const n of input.nodes) out[n] = await deleteShard(nodes, n, input.index, input.shard);
        return out;
      } finally {
        stopTicker();
      }
    },
  };
}
