import { continueAsNew, log, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { AntiEntropyActivities, ReconcileShardResult } from '../activities/anti-entropy.activities';
import { nodeRetry } from './index-lifecycle.node-failure';

const db = proxyActivities<AntiEntropyActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 10 },
});
// One shard: scans every replica, waits the settling delay, repairs; heartbeats throughout.
const shards = proxyActivities<AntiEntropyActivities>({ startToCloseTimeout: '2 hours', heartbeatTimeout: '1 minute', retry: nodeRetry(5, 1_000) });

/** Indexes listed per activity call. */
const PAGE = 50;
/** Shards with something to report, kept in the result (the totals count them all). */
const DETAILS_KEPT = 100;

export interface AntiEntropyInput {
  pageSize?: number;
  settleMs?: number;
  concurrency?: number;
  /** Rounds in which shards with an unreachable replica are tried again (default 3), and the wait before each (default 10 s). */
  unavailableRetries?: number;
  unavailableRetryMs?: number;
  /** Resume after this index uid (set by continue-as-new). */
  after?: string | null;
  carried?: AntiEntropyResult;
}

export interface AntiEntropyShardReport {
  index: string;
  shard: number;
  skipped?: string;
  failed?: string;
  written: number;
  deleted: number;
  unresolved: Record<string, number>;
  unresolvedKeys: string[];
}

export interface AntiEntropyResult {
  indexes: number;
  shards: number;
  /** Shards not compared this time (migrating, a replica unreachable, a failed activity). */
  skipped: number;
  documents: number;
  differing: number;
  written: number;
  deleted: number;
  unresolved: number;
  details: AntiEntropyShardReport[];
}

const empty = (): AntiEntropyResult => ({ indexes: 0, shards: 0, skipped: 0, documents: 0, differing: 0, written: 0, deleted: 0, unresolved: 0, details: [] });

/**
 * Anti-entropy (docs/design.md#workflows), run by a Temporal Schedule when `anti_entropy.enabled`: the replicas of
 * every shard of every index are compared by fingerprints and repaired (activities/
 * anti-entropy.activities.ts). A few shards at a time; the shards of an index that differ share
 * one settling delay; a shard that cannot be compared now is skipped and reported, and the next
 * run tries it again.
 */
export async function antiEntropyWorkflow(input: AntiEntropyInput = {}): Promise<AntiEntropyResult> {
  const pageSize = input.pageSize ?? 1_000;
  const settleMs = input.settleMs ?? 15_000;
  const concurrency = Math.max(1, input.concurrency ?? 2);
  const unavailableRetries = Math.max(0, input.unavailableRetries ?? 3);
  const unavailableRetryMs = Math.max(1, input.unavailableRetryMs ?? 10_000);
  const result = input.carried ?? empty();
  let after = input.after ?? null;
  for (;;) {
    const indexes = await db.listAntiEntropyIndexes({ after, limit: PAGE });
    for (const index of indexes) {
      result.indexes++;
      const base = { index: index.uid, primaryKey: index.primaryKey, shards: index.shards, pageSize, settleMs };
      let todo = [...Array(index.shards).keys()];
      for (let round = 0; todo.length > 0; round++) {
        // Scan every shard; those that differ wait one settling delay together (a durable timer),
        // then have what differed re-read and repaired. Shards with a replica that did not answer
        // are tried again a few times: a node back within a minute is repaired in this run.
        const lastRound = round >= unavailableRetries;
        const unavailable: number[] = [];
        const pending = new Map<number, Array<string | number>>();
        await inBatches(todo, concurrency, async (shard) => {
          const scanned = await settle(shards.reconcileShard({ ...base, shard, deferSettle: true }));
          if (scanned.status === 'fulfilled' && scanned.value.pending) {
            result.shards++;
            result.documents += scanned.value.documents;
            pending.set(shard, scanned.value.pending);
          } else if (!lastRound && scanned.status === 'fulfilled' && scanned.value.skipped === 'replica_unavailable') {
            unavailable.push(shard);
          } else {
            add(result, index.uid, shard, scanned);
          }
        });
        if (pending.size > 0) {
          if (settleMs > 0) await sleep(settleMs);
          await inBatches([...pending.keys()], concurrency, async (shard) => {
            add(result, index.uid, shard, await settle(shards.reconcileShard({ ...base, shard, candidates: pending.get(shard)! })), false);
          });
        }
        todo = unavailable;
        if (todo.length > 0) await sleep(unavailableRetryMs);
      }
      after = index.uid;
    }
    if (indexes.length < PAGE) break;
    if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof antiEntropyWorkflow>({ pageSize, settleMs, concurrency, unavailableRetries, unavailableRetryMs, after, carried: result });
  }
  if (result.written + result.deleted + result.unresolved > 0) {
    log.warn('anti-entropy found replicas that differed', { written: result.written, deleted: result.deleted, unresolved: result.unresolved });
  }
  return result;
}

/** Runs `fn` over `items`, `size` at a time. */
async function inBatches<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

function settle<T>(p: Promise<T>): Promise<PromiseSettledResult<T>> {
  return p.then(
    (value) => ({ status: 'fulfilled', value }) as const,
    (reason: unknown) => ({ status: 'rejected', reason }) as const,
  );
}

function add(result: AntiEntropyResult, index: string, shard: number, outcome: PromiseSettledResult<ReconcileShardResult>, counted = true): void {
  if (counted) result.shards++;
  const report: AntiEntropyShardReport = { index, shard, written: 0, deleted: 0, unresolved: {}, unresolvedKeys: [] };
  if (outcome.status === 'rejected') {
    result.skipped++;
    // An ActivityFailure says only "Activity task failed"; its cause says why.
    const err = outcome.reason as { message?: string; cause?: { message?: string } };
    report.failed = String(err?.cause?.message ?? err?.message ?? outcome.reason);
    log.warn('anti-entropy could not compare a shard', { index, shard, error: report.failed });
  } else {
    const r = outcome.value;
    const unresolved = Object.values(r.unresolved).reduce((a, n) => a + (n ?? 0), 0);
    if (r.skipped && r.skipped !== 'single_replica') result.skipped++;
    result.documents += r.documents;
    result.differing += r.differing;
    result.written += r.written;
    result.deleted += r.deleted;
    result.unresolved += unresolved;
    Object.assign(report, { written: r.written, deleted: r.deleted, unresolved: r.unresolved, unresolvedKeys: r.unresolvedKeys }, r.skipped ? { skipped: r.skipped } : {});
    if (unresolved > 0) log.warn('anti-entropy left documents it cannot decide', { index, shard, unresolved: r.unresolved, keys: r.unresolvedKeys });
    if (r.written + r.deleted + unresolved === 0 && (!r.skipped || r.skipped === 'single_replica')) return;
  }
  if (result.details.length < DETAILS_KEPT) result.details.push(report);
}
