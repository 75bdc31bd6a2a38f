// rebalance (docs/design.md#workflows), singleton id `rebalance`: derives the plan from the topology and indexes in
// Postgres, runs at most N shardMigration children at a time, honours pause / resume / cancel,
// and ends — once nothing is left to move — by marking joining nodes active and draining nodes
// removed and deleting the migration rows in one transaction, so the base placement becomes what
// the overlay already routed by.
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { workflowIds } from '@miroir/temporal/names';
import { MiroirOperation, MiroirRequestedBy } from '@miroir/temporal/search-attributes';
import type { MigrationActivities } from '../activities/migration-activities';
import type { PlannedMoveWithEstimate, RebalancePlan } from '../activities/rebalance-activities';
import {
  rebalanceProgressQuery,
  type PlanSummary,
  type RebalanceInput,
  type RebalanceProgress,
  type RebalanceResult,
  type RebalanceState,
  type RebalanceTotals,
} from './rebalance.contract';
import { cancelSignal, migrationProgressSignal, pauseSignal, resumeSignal, type ShardMigrationResult } from './shard-migration.contract';
import { shardMigrationWorkflow } from './shard-migration.workflow';

const planning = proxyActivities<MigrationActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
const finishing = proxyActivities<MigrationActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
});

/** Moves started by one run before it continues as new, keeping the event history bounded. */
const MOVES_PER_RUN = 400;
/** Re-plans in a row that still find moves (the topology keeps changing) before giving up. */
const MAX_ROUNDS = 20;

interface Running {
  handle: ChildWorkflowHandle<typeof shardMigrationWorkflow>;
  copied: number;
}

export async function rebalanceWorkflow(input: RebalanceInput = {}): Promise<RebalanceResult> {
  const requestedBy = input.requestedBy ?? 'unspecified';
  upsertSearchAttributes([
    { key: MiroirOperation, value: 'rebalance' },
    { key: MiroirRequestedBy, value: requestedBy },
  ]);
  const totals: RebalanceTotals = input.carried ?? { completed: 0, failed: 0, rolledBack: 0, documentsCopied: 0, failures: [] };
  let state: RebalanceState = 'planning';
  let paused = input.startPaused ?? false;
  let cancelling = false;
  let plan: PlanSummary = { moves: 0, estimatedDocuments: 0, topologyVersion: 0, joining: [], draining: [], perIndex: {} };
  let pending = 0;
  const running = new Map<string, Running>();

  const forward = (signal: typeof pauseSignal | typeof resumeSignal | typeof cancelSignal): void => {
    for (const r of running.values()) r.handle.signal(signal).catch(() => undefined); // it may just have ended
  };
  setHandler(pauseSignal, () => {
    paused = true;
    forward(pauseSignal);
  });
  setHandler(resumeSignal, () => {
    paused = false;
    forward(resumeSignal);
  });
  setHandler(cancelSignal, () => {
    cancelling = true;
    forward(cancelSignal);
  });
  setHandler(migrationProgressSignal, (r) => {
    const entry = running.get(r.workflowId);
    if (entry) entry.copied = Math.max(entry.copied, r.copied);
  });
  const progress = (): RebalanceProgress => {
    const live = [...running.values()].reduce((a, r) => a + r.copied, 0);
    const shown: RebalanceState =
      state === 'done' || state === 'cancelled' || state === 'failed' ? state : cancelling ? 'cancelling' : paused && state === 'running' ? 'paused' : state;
    return {
      ...totals,
      failures: [...totals.failures],
      documentsCopied: totals.documentsCopied + live,
      state: shown,
      requestedBy,
      plan,
      running: running.size,
      runningMigrations: [...running.keys()],
      pending,
    };
  };
  setHandler(rebalanceProgressQuery, progress);

  const startMigration = async (move: PlannedMoveWithEstimate, fullPlan: RebalancePlan): Promise<void> => {
    const workflowId = workflowIds.migration(move.index, move.group, move.shard);
    let handle: ChildWorkflowHandle<typeof shardMigrationWorkflow> | undefined;
    for (let attempt = 0; handle === undefined; attempt++) {
      try {
        handle = await startChild(shardMigrationWorkflow, {
          workflowId,
          args: [
            {
              index: move.index,
              group: move.group,
              shard: move.shard,
              from: move.from,
              to: move.to,
              sources: move.sources,
              primaryKey: move.primaryKey,
              pageSize: input.pageSize ?? fullPlan.settings.pageSize,
              graceMs: input.graceMs ?? fullPlan.settings.graceMs,
              chunkMs: input.chunkMs,
              pageIntervalMs: input.pageIntervalMs,
              maxVerifyPasses: input.maxVerifyPasses,
              heartbeatTimeoutMs: input.heartbeatTimeoutMs,
              requestedBy,
            },
          ],
          // Terminating the rebalance asks its migrations to cancel, i.e. to roll back.
          parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
        });
      } catch (err) {
        // A migration of that shard from an earlier, terminated rebalance is still rolling back.
        if (!(err instanceof WorkflowExecutionAlreadyStartedError) || attempt >= 60) throw err;
        await sleep('10 seconds');
      }
    }
    const entry: Running = { handle, copied: 0 };
    running.set(workflowId, entry);
    if (paused) handle.signal(pauseSignal).catch(() => undefined);
    if (cancelling) handle.signal(cancelSignal).catch(() => undefined);
    handle.result().then(
      (r: ShardMigrationResult) => {
        if (r.outcome === 'completed') totals.completed++;
        else totals.rolledBack++;
        totals.documentsCopied += r.copied;
        running.delete(workflowId);
      },
      (err: unknown) => {
        totals.failed++;
        totals.documentsCopied += entry.copied;
        totals.failures = [...totals.failures, { workflowId, message: messageOf(err) }].slice(-50);
        running.delete(workflowId);
      },
    );
  };

  let activated: string[] = [];
  let removed: string[] = [];
  try {
    let started = 0;
    for (let round = 1; ; round++) {
      state = 'planning';
      const full = await planning.planRebalance({});
      // The plan shown is the first one, grown by what later re-plans found (a topology change
      // while running); the empty re-plan that precedes finishing does not replace it.
      plan = round === 1 ? summarize(full) : merge(plan, summarize(full));
      if (round === 1 || full.moves.length > 0) upsertMemo({ requestedBy, plan });
      if (input.dryRun) {
        state = 'done';
        return { ...progress(), dryRunPlan: full, activated, removed };
      }
      if (full.moves.length === 0) {
        state = 'finishing';
        const f = await finishing.finishRebalance();
        if (f.finished) {
          activated = f.activated;
          removed = f.removed;
          state = 'done';
          upsertMemo({ requestedBy, plan, activated, removed });
          return { ...progress(), activated, removed };
        }
        continue; // the topology changed under us: plan again
      }
      if (round > MAX_ROUNDS) throw ApplicationFailure.nonRetryable(`still ${full.moves.length} moves to make after ${MAX_ROUNDS} plans: the topology keeps changing`, 'RebalanceNotConverging');

      state = 'running';
      const failedBefore = totals.failed;
      const maxConcurrent = Math.max(1, input.maxConcurrentMigrations ?? full.settings.maxConcurrentMigrations);
      const queue = [...full.moves];
      pending = queue.length;
      while (queue.length > 0) {
        await condition(() => cancelling || (!paused && running.size < maxConcurrent));
        if (cancelling) break;
        await startMigration(queue.shift()!, full);
        pending = queue.length;
        started++;
      }
      await condition(() => running.size === 0);
      if (cancelling) {
        pending = 0;
        state = 'cancelled';
        return { ...progress(), activated, removed };
      }
      if (totals.failed > failedBefore) {
        state = 'failed';
        throw ApplicationFailure.nonRetryable(
          `${totals.failed - failedBefore} shard migration(s) failed; finished moves stay in place, run the rebalance again after fixing the cause`,
          'RebalanceMigrationsFailed',
          totals.failures,
        );
      }
      if (started >= MOVES_PER_RUN || workflowInfo().continueAsNewSuggested) {
        // No child runs now (continuing closes this run, which would cancel them).
        await continueAsNew<typeof rebalanceWorkflow>({ ...input, startPaused: paused, carried: totals });
      }
    }
  } catch (err) {
    if (isCancellation(err)) {
      // Cancelled in Temporal: the children, started in this scope, were asked to cancel too; the
      // ones before cut-over roll back. Wait for all of them before reporting.
      cancelling = true;
      await CancellationScope.nonCancellable(() => condition(() => running.size === 0));
      state = 'cancelled';
    } else if (state !== 'failed') {
      state = 'failed';
    }
    throw err;
  }
}

function summarize(plan: RebalancePlan): PlanSummary {
  const perIndex: Record<string, number> = {};
  for (const m of plan.moves) perIndex[m.index] = (perIndex[m.index] ?? 0) + 1;
  return {
    moves: plan.moves.length,
    estimatedDocuments: plan.estimatedDocuments,
    topologyVersion: plan.topologyVersion,
    joining: plan.joining,
    draining: plan.draining,
    perIndex,
  };
}

function merge(a: PlanSummary, b: PlanSummary): PlanSummary {
  const perIndex = { ...a.perIndex };
  for (const [k, v] of Object.entries(b.perIndex)) perIndex[k] = (perIndex[k] ?? 0) + v;
  return {
    moves: a.moves + b.moves,
    estimatedDocuments: a.estimatedDocuments + b.estimatedDocuments,
    topologyVersion: b.topologyVersion,
    joining: [...new Set([...a.joining, ...b.joining])],
    draining: [...new Set([...a.draining, ...b.draining])],
    perIndex,
  };
}

function messageOf(err: unknown): string {
  let e: unknown = err;
  // ChildWorkflowFailure → its cause carries the migration's own message.
  while (e instanceof Error && (e as { cause?: unknown }).cause instanceof Error) e = (e as { cause?: unknown }).cause;
  return e instanceof Error ? e.message : String(err);
}
