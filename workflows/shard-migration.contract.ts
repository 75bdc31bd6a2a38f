// The public face of the shardMigration workflow: its input, signals, query and result. Pure
// definitions, importable by the rebalance workflow, the API, miroir-ctl and tests.
import { defineQuery, defineSignal } from '@temporalio/workflow';

export const SHARD_MIGRATION_WORKFLOW = 'shardMigrationWorkflow';

/**
 * How long a routing change (a shard_migrations row) takes to reach every API pod: pods reload on
 * NOTIFY within milliseconds and poll the topology version every 5 s as a fallback, and a write
 * that routed by the old table just before the reload may still be in flight. Waiting at least the
 * poll interval after each change means that when the copy starts every pod already dual-writes,
 * and when the old owners are emptied no pod still reads or writes them.
 */
export const DEFAULT_GRACE_MS = 6_000;

export interface ShardMigrationInput {
  index: string;
  group: number;
  shard: number;
  /** Owners now (empty when the group is new). */
  from: string[];
  /** Owners afterwards. */
  to: string[];
  /** Where to copy from, best first; default `from`. For a new group: owners in other groups. */
  sources?: string[];
  /** Default: read from a source's index. */
  primaryKey?: string;
  /** Documents per page (default config rebalance.page_size through the rebalance, else 1000). */
  pageSize?: number;
  /** Wait after each routing change (default DEFAULT_GRACE_MS). */
  graceMs?: number;
  /** Longest copy activity call; a pause takes effect between calls (default 5 000 ms). */
  chunkMs?: number;
  /** Throttle between pages (default 0). */
  pageIntervalMs?: number;
  /** Heartbeat timeout of node activities: how soon a dead worker's call is retried (default 10 000). */
  heartbeatTimeoutMs?: number;
  /** Verify-and-repair passes before giving up (default 5). */
  maxVerifyPasses?: number;
  requestedBy?: string;
}

export type MigrationPhase =
  | 'preparing'
  | 'dual-write'
  | 'copying'
  | 'verifying'
  | 'cut-over'
  | 'cleaning'
  | 'final-verify'
  | 'done'
  | 'rolling-back'
  | 'rolled-back';

export interface CopyCheckpoint {
  offset: number;
  copied: number;
  source?: string;
}

export interface ShardMigrationProgress {
  index: string;
  group: number;
  shard: number;
  from: string[];
  to: string[];
  phase: MigrationPhase;
  paused: boolean;
  /** True while the workflow waits for `resume` (no activity of it runs). */
  waitingForResume: boolean;
  cancelRequested: boolean;
  /** Once cut over, a cancel no longer rolls back: the migration completes. */
  cutOver: boolean;
  source?: string;
  copied: number;
  pages: number;
  verified: number;
  verifyPasses: number;
  repaired: number;
  /** Documents deleted: from old owners after cut-over, extras during repair, copies on rollback. */
  deleted: number;
  /** Checkpoints a retried copy call resumed from (a worker died mid-copy). */
  resumes: CopyCheckpoint[];
}

export interface ShardMigrationResult extends ShardMigrationProgress {
  outcome: 'completed' | 'rolled-back';
}

/** What a child migration tells its rebalance after each copy chunk and at its end. */
export interface MigrationProgressReport {
  workflowId: string;
  phase: MigrationPhase;
  copied: number;
}

/** No new page is copied until `resume` (the current copy call finishes first, ≤ chunkMs). */
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
/** Before cut-over: roll back (routing as before, copies deleted). After: ignored, it completes. */
export const cancelSignal = defineSignal('cancel');
export const migrationProgressSignal = defineSignal<[MigrationProgressReport]>('migrationProgress');
export const migrationProgressQuery = defineQuery<ShardMigrationProgress>('progress');
