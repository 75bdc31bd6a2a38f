// Steps 3 and 6 of a shard migration: compare a reference replica with the others by primary-key
// set and content fingerprint (SHA-256 of canonical JSON), repairing differences — copy what is
// missing or different from the reference, delete what the reference does not have — and check
// that nodes giving the shard up hold none of it.
//
// Pages are read by offset while clients keep writing (dual-write), so a scan can skip or repeat a
// document whose neighbours were deleted meanwhile. Every difference is therefore confirmed with a
// fetch by id before anything is deleted, and a pass only counts as clean when it found nothing to
// repair; the workflow repeats passes until one is clean.
import { ApplicationFailure } from '@temporalio/activity';
import type { Document } from '@miroir/meili';
import type { WorkerNodeClients } from './node-clients';
import { countShard, fingerprint, keyOf, scanFingerprints, shardOnly, type ShardFingerprints } from './migration-documents';
import { cancellationSignal, deleteDocuments, deleteShard, heartbeatEvery, onNodeCall, pickSource, throwIfCancelled, writeDocuments } from './migration-nodes';

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
        const diffs = new Map<string, TargetDiff>(targets.map((t) => [t, { node: t, documents: targetPrints.get(t)!.hashes.size, missing: 0, different: 0, extra: 0 }]));
        const toWrite = new Map<string, Document[]>(targets.map((t) => [t, []]));
        let repaired = 0;
        let deleted = 0;
        const flush = async (force: boolean): Promise<void> => {
          for (const [t, docs] of toWrite) {
            if (docs.length === 0 || (!force && docs.length < input.pageSize)) continue;
            if (input.repair) {
              await writeDocuments(nodes, t, input.index, docs);
              repaired += docs.length;
            }
            toWrite.set(t, []);
          }
        };
        const compare = (doc: Document): void => {
          const key = keyOf(doc, input.primaryKey);
          const hash = fingerprint(doc);
          for (const t of targets) {
            const prints = targetPrints.get(t)!;
            const theirs = prints.hashes.get(key);
            if (theirs === undefined) diffs.get(t)!.missing++;
            else if (theirs !== hash) diffs.get(t)!.different++;
            prints.hashes.delete(key);
            if (theirs !== hash) toWrite.get(t)!.push(doc);
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
          await flush(false);
          if (page.results.length < input.pageSize) break;
        }
        // What a target still has unmatched may have been skipped by the source scan: fetch those
        // ids from the source; only ids the source really lacks are extra.
        for (const t of targets) {
          const prints = targetPrints.get(t)!;
          const leftoverKeys = [...prints.hashes.keys()];
          for (let i = 0; i < leftoverKeys.length; i += input.pageSize) {
            const keys = leftoverKeys.slice(i, i + input.pageSize);
            const ids = keys.map((k) => prints.ids.get(k)!);
            const found = await onNodeCall(source.id, () =>
              source.client.getDocuments(input.index, { ids, filter: shardOnly(input.shard), limit: ids.length }, { signal: cancellationSignal() }),
            );
            const onSource = new Map(found.results.map((d) => [keyOf(d, input.primaryKey), d]));
            const extra: Array<string | number> = [];
            for (const k of keys) {
              const doc = onSource.get(k);
              if (doc === undefined) extra.push(prints.ids.get(k)!);
              else if (fingerprint(doc) !== prints.hashes.get(k)) {
                diffs.get(t)!.different++;
                toWrite.get(t)!.push(doc);
              }
            }
            diffs.get(t)!.extra += extra.length;
            if (input.repair && extra.length > 0) {
              await deleteDocuments(nodes, t, input.index, extra);
              deleted += extra.length;
            }
          }
        }
        await flush(true);
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
        return { source: source.id, sourceDocuments, targets: [...diffs.values()], leftovers, repaired, deleted, clean: differences === 0 && leftovers === 0 };
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
