// shardMigration (docs/design.md#workflows): moves one shard of one index in one replica group from its current
// owners to its new ones while clients keep reading and writing.
//
//   0 prepare     the index exists on the new owners with the source's primary key and settings
//   1 dual-write  shard_migrations row: writes go to old ∪ new owners, reads stay on the old; wait grace
//   2 copy        pages of `_miroir_shard = N` from a healthy source to the new owners
//   3 verify      key set + SHA-256 fingerprints, source vs targets, repairing until a clean pass
//   4 cut over    reads and writes go to the new owners; wait grace
//   5 clean       delete the shard from nodes that no longer own it
//   6 re-verify   new owners agree, old owners hold none of it
//
// Cancelling (the `cancel` signal, or cancelling the workflow in Temporal) before step 4 rolls
// back: the routing row is restored, then the copies are deleted. From step 4 on it completes.
// The documents written here go straight to the nodes, never through the API, so the CDC outbox
// never sees them: a migration is not a change of the data.
import {
  ActivityCancellationType,
  ApplicationFailure,
  CancellationScope,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { MiroirIndex, MiroirNode, MiroirOperation, MiroirRequestedBy } from '@miroir/temporal/search-attributes';
import type { MigrationActivities } from '../activities/migration-activities';
import type { StoredRoute } from '../activities/migration-routing.activities';
import {
  cancelSignal,
  DEFAULT_GRACE_MS,
  migrationProgressQuery,
  migrationProgressSignal,
  pauseSignal,
  resumeSignal,
  type CopyCheckpoint,
  type MigrationPhase,
  type ShardMigrationInput,
  type ShardMigrationProgress,
  type ShardMigrationResult,
} from './shard-migration.contract';

// Routing rows live in Postgres: quick calls, retried for as long as Postgres is away.
const routing = proxyActivities<MigrationActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
});

// Node work: retried without limit (a node that is down is waited for; the operator can cancel),
// except for non-retryable failures (a node refusing our own documents). Long calls heartbeat;
// a missed heartbeat (a worker killed) reschedules the call, which resumes from its checkpoint.
// The SDK sends heartbeats at most every 0.8 × heartbeatTimeout, so that timeout also bounds how
// stale the checkpoint a retry resumes from can be.
// WAIT_CANCELLATION_COMPLETED: a rollback must not delete copies while a copy call still writes.
function nodeActivities(heartbeatTimeoutMs: number) {
  return proxyActivities<MigrationActivities>({
    startToCloseTimeout: '30 minutes',
    heartbeatTimeout: heartbeatTimeoutMs,
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '30s' },
  });
}

// Creating an index or applying settings can reindex for a while: no heartbeat, a long deadline.
const prepare = proxyActivities<MigrationActivities>({
  startToCloseTimeout: '20 minutes',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const unique = (xs: readonly string[]): string[] => [...new Set(xs)];

export async function shardMigrationWorkflow(input: ShardMigrationInput): Promise<ShardMigrationResult> {
  const info = workflowInfo();
  const from = [...input.from];
  const to = [...input.to];
  const gaining = to.filter((n) => !from.includes(n));
  const losing = from.filter((n) => !to.includes(n));
  const sources = input.sources && input.sources.length > 0 ? [...input.sources] : from;
  const graceMs = input.graceMs ?? DEFAULT_GRACE_MS;
  const pageSize = input.pageSize ?? 1_000;
  const maxPasses = input.maxVerifyPasses ?? 5;
  const key = { index: input.index, group: input.group, shard: input.shard };
  const nodeWork = nodeActivities(input.heartbeatTimeoutMs ?? 10_000);

  upsertSearchAttributes([
    { key: MiroirIndex, value: input.index },
    { key: MiroirOperation, value: 'shardMigration' },
    { key: MiroirNode, value: unique([...from, ...to]).join(',') },
    ...(input.requestedBy ? [{ key: MiroirRequestedBy, value: input.requestedBy }] : []),
  ]);

  const progress: ShardMigrationProgress = {
    ...key,
    from,
    to,
    phase: 'preparing',
    paused: false,
    waitingForResume: false,
    cancelRequested: false,
    cutOver: false,
    copied: 0,
    pages: 0,
    verified: 0,
    verifyPasses: 0,
    repaired: 0,
    deleted: 0,
    resumes: [],
  };

  // Everything before cut-over runs in this scope, so a cancel can interrupt it wherever it is.
  const work = new CancellationScope();
  let committed = false;
  setHandler(pauseSignal, () => {
    progress.paused = true;
  });
  setHandler(resumeSignal, () => {
    progress.paused = false;
  });
  setHandler(cancelSignal, () => {
    progress.cancelRequested = true;
    if (!committed) work.cancel();
  });
  setHandler(migrationProgressQuery, () => progress);

  const parentId = info.parent?.workflowId;
  const report = async (): Promise<void> => {
    if (parentId === undefined) return;
    try {
      await getExternalWorkflowHandle(parentId).signal(migrationProgressSignal, { workflowId: info.workflowId, phase: progress.phase, copied: progress.copied });
    } catch (err) {
      if (isCancellation(err)) throw err;
      // The rebalance is gone (terminated): progress is still in this workflow's own query.
    }
  };
  const enter = (phase: MigrationPhase): void => {
    progress.phase = phase;
  };
  const waitWhilePaused = async (): Promise<void> => {
    if (!progress.paused) return;
    progress.waitingForResume = true;
    try {
      await condition(() => !progress.paused);
    } finally {
      progress.waitingForResume = false;
    }
  };

  let previous: StoredRoute | null = null;
  let routed = false;
  let primaryKey = input.primaryKey;
  const copyable = gaining.length > 0 && sources.length > 0;

  try {
    await work.run(async () => {
      enter('preparing');
      const prepared = await prepare.ensureIndexOnNodes({ index: input.index, sources, targets: gaining });
      primaryKey = primaryKey ?? prepared.primaryKey ?? undefined;

      enter('dual-write');
      previous = (await routing.beginMigration({ ...key, from, to, workflowId: info.workflowId })).previous;
      routed = true;
      if (graceMs > 0) await sleep(graceMs);
      // A stale dual-write row (its migration died) may have pointed writes at other nodes: now
      // that no pod writes there any more, take those partial copies away.
      const strays = previous && previous.phase === 'dual_write' ? previous.to.filter((n) => !from.includes(n) && !to.includes(n)) : [];
      if (strays.length > 0) progress.deleted += total(await nodeWork.deleteShardFrom({ index: input.index, shard: input.shard, nodes: strays }));

      if (copyable) {
        enter('copying');
        let cursor: CopyCheckpoint = { offset: 0, copied: 0 };
        for (;;) {
          await waitWhilePaused();
          const r = await nodeWork.copyShardChunk({
            index: input.index,
            shard: input.shard,
            sources,
            targets: gaining,
            cursor,
            pageSize,
            chunkMs: input.chunkMs ?? 5_000,
            pageIntervalMs: input.pageIntervalMs ?? 0,
          });
          if (r.resumedFrom) progress.resumes.push(r.resumedFrom);
          cursor = { offset: r.offset, copied: r.copied, source: r.source };
          progress.copied = r.copied;
          progress.pages += r.pages;
          progress.source = r.source;
          await report();
          if (r.done) break;
        }

        enter('verifying');
        if (primaryKey === undefined) throw ApplicationFailure.nonRetryable(`index ${input.index} has no primary key on its sources`, 'MigrationNoPrimaryKey');
        for (let pass = 1; ; pass++) {
          await waitWhilePaused();
          const v = await nodeWork.verifyShard({ index: input.index, shard: input.shard, primaryKey, sources, targets: gaining, pageSize, repair: true });
          progress.verifyPasses = pass;
          progress.verified = v.sourceDocuments;
          progress.repaired += v.repaired;
          progress.deleted += v.deleted;
          if (v.clean) break;
          if (pass >= maxPasses) {
            throw ApplicationFailure.nonRetryable(
              `${input.index} shard ${input.shard} group ${input.group}: targets still differ from the source after ${pass} verify passes (last: ${v.samples.join('; ')})`,
              'MigrationVerifyDiverged',
              v,
            );
          }
        }
      }
    });
    // Decided here, with no await in between: a cancel that arrived during the last step wins,
    // one that arrives from now on finds the migration committed.
    if (progress.cancelRequested) throw new RollbackRequested();
    committed = true;
  } catch (err) {
    const cancelled = isCancellation(err) || err instanceof RollbackRequested;
    await CancellationScope.nonCancellable(async () => {
      enter('rolling-back');
      if (routed) {
        await routing.restoreRoute({ ...key, previous });
        if (graceMs > 0) await sleep(graceMs);
      }
      // Once no pod writes to them, empty the nodes that were receiving the shard.
      const prev = previous as StoredRoute | null;
      const doomed = unique([...gaining, ...(prev?.to ?? [])]).filter((n) => !from.includes(n));
      if (doomed.length > 0) progress.deleted += total(await nodeWork.deleteShardFrom({ index: input.index, shard: input.shard, nodes: doomed }));
      enter('rolled-back');
      await report();
    });
    if (cancelled) return { ...progress, outcome: 'rolled-back' };
    throw err;
  }

  // Committed: nothing below is interrupted by a cancel.
  await CancellationScope.nonCancellable(async () => {
    enter('cut-over');
    await routing.cutOverMigration(key);
    progress.cutOver = true;
    if (graceMs > 0) await sleep(graceMs);

    enter('cleaning');
    if (losing.length > 0) progress.deleted += total(await nodeWork.deleteShardFrom({ index: input.index, shard: input.shard, nodes: losing }));

    enter('final-verify');
    if (primaryKey !== undefined && to.length > 0) {
      // The reference is an owner that kept the shard throughout when there is one.
      const reference = [...to.filter((n) => from.includes(n)), ...to.filter((n) => !from.includes(n))];
      for (let pass = 1; ; pass++) {
        const v = await nodeWork.verifyShard({ index: input.index, shard: input.shard, primaryKey, sources: reference, targets: to, absentFrom: losing, pageSize, repair: true });
        progress.repaired += v.repaired;
        progress.deleted += v.deleted;
        if (v.clean) break;
        if (pass >= maxPasses) {
          throw ApplicationFailure.nonRetryable(
            `${input.index} shard ${input.shard} group ${input.group}: owners disagree or old owners still hold documents after cut-over (${pass} passes)`,
            'MigrationFinalVerifyFailed',
            v,
          );
        }
      }
    }
    enter('done');
    await report();
  });
  return { ...progress, outcome: 'completed' };
}

/** A cancel that arrived while the last pre-cut-over step was finishing. */
class RollbackRequested extends Error {
  override readonly name = 'RollbackRequested';
}

function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, n) => a + n, 0);
}
