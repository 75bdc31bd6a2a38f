// The public face of the rebalance workflow (singleton id `rebalance`): input, signals, query,
// result. Start it from the Temporal UI with workflow type `rebalanceWorkflow`, id `rebalance`,
// input `{}`; pause/resume/cancel with the signals below (no payload); query `progress`.
import { defineQuery } from '@temporalio/workflow';
import type { RebalancePlan } from '../activities/rebalance-activities';

export { cancelSignal, pauseSignal, resumeSignal } from './shard-migration.contract';

export const REBALANCE_WORKFLOW = 'rebalanceWorkflow';

export interface RebalanceInput {
  /** Who asked (admin API key name, `miroir-ctl` user…): search attribute MiroirRequestedBy. */
  requestedBy?: string;
  /** Plan only: the result and memo carry the plan, nothing moves. */
  dryRun?: boolean;
  /** Overrides config rebalance.max_concurrent_migrations. */
  maxConcurrentMigrations?: number;
  /** Overrides config rebalance.page_size. */
  pageSize?: number;
  /** Passed to every migration (see ShardMigrationInput). */
  graceMs?: number;
  chunkMs?: number;
  pageIntervalMs?: number;
  maxVerifyPasses?: number;
  heartbeatTimeoutMs?: number;
  /** Start paused (an operator wants to look at the plan first). */
  startPaused?: boolean;
  /** Internal: totals carried over continueAsNew. */
  carried?: RebalanceTotals;
}

export interface RebalanceTotals {
  completed: number;
  failed: number;
  rolledBack: number;
  documentsCopied: number;
  /** Workflow ids of failed migrations (last 50). */
  failures: Array<{ workflowId: string; message: string }>;
}

export type RebalanceState = 'planning' | 'running' | 'paused' | 'cancelling' | 'finishing' | 'done' | 'cancelled' | 'failed';

export interface PlanSummary {
  moves: number;
  estimatedDocuments: number;
  topologyVersion: number;
  joining: string[];
  draining: string[];
  /** Moves per index. */
  perIndex: Record<string, number>;
}

export interface RebalanceProgress extends RebalanceTotals {
  state: RebalanceState;
  requestedBy: string;
  plan: PlanSummary;
  /** Migrations running now. */
  running: number;
  runningMigrations: string[];
  /** Moves of the current plan not started yet. */
  pending: number;
}

export interface RebalanceResult extends RebalanceProgress {
  /** The full plan when dryRun. */
  dryRunPlan?: RebalancePlan;
  /** Nodes the finish made active / removed. */
  activated: string[];
  removed: string[];
}

export const rebalanceProgressQuery = defineQuery<RebalanceProgress>('progress');
