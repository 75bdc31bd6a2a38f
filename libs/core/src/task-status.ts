// docs/design.md#tasks: one Miroir task status from the statuses of the node tasks it caused.

export type TaskStatus = 'enqueued' | 'processing' | 'succeeded' | 'failed' | 'canceled';

export interface TaskError {
  readonly message: string;
  readonly code: string;
  readonly type: string;
  readonly link: string;
}

export interface NodeTaskView {
  readonly nodeId: string;
  readonly status: TaskStatus;
  readonly error?: TaskError | null;
  readonly enqueuedAt?: string | null;
  readonly startedAt?: string | null;
  readonly finishedAt?: string | null;
}

export interface AggregatedTask {
  readonly status: TaskStatus;
  /** The first failed node task's error (node order as given), else null. */
  readonly error: TaskError | null;
  /** Earliest start among node tasks, null until one started. */
  readonly startedAt: string | null;
  /** Latest finish, only once every node task is terminal. */
  readonly finishedAt: string | null;
  /** ISO 8601 duration between startedAt and finishedAt, like Meilisearch's `duration`. */
  readonly duration: string | null;
}

export function isTerminal(status: TaskStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'canceled';
}

function earliest(values: readonly (string | null | undefined)[]): string | null {
  let best: string | null = null;
  let bestMs = Infinity;
  for (const v of values) {
    if (v == null) continue;
    const ms = Date.parse(v);
    if (!Number.isNaN(ms) && ms < bestMs) {
      bestMs = ms;
      best = v;
    }
  }
  return best;
}

function latest(values: readonly (string | null | undefined)[]): string | null {
  let best: string | null = null;
  let bestMs = -Infinity;
  for (const v of values) {
    if (v == null) continue;
    const ms = Date.parse(v);
    if (!Number.isNaN(ms) && ms > bestMs) {
      bestMs = ms;
      best = v;
    }
  }
  return best;
}

/** Milliseconds as an ISO 8601 duration in seconds, e.g. `PT0.123S`. */
export function isoDuration(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  return `PT${Number(seconds.toFixed(9)).toString()}S`;
}

/**
 * Non-terminal while any node task is (`processing` once any node task has started or finished,
 * else `enqueued`); then `failed` if any failed, `canceled` if any was canceled, else `succeeded`.
 * A task that caused no node task (nothing to do) has succeeded.
 */
export function aggregateTaskStatus(nodeTasks: readonly NodeTaskView[]): AggregatedTask {
  const startedAt = earliest(nodeTasks.map((t) => t.startedAt));
  if (nodeTasks.some((t) => !isTerminal(t.status))) {
    const started = nodeTasks.some((t) => t.status !== 'enqueued');
    return { status: started ? 'processing' : 'enqueued', error: null, startedAt, finishedAt: null, duration: null };
  }
  const failed = nodeTasks.find((t) => t.status === 'failed');
  const status: TaskStatus = failed ? 'failed' : nodeTasks.some((t) => t.status === 'canceled') ? 'canceled' : 'succeeded';
  const finishedAt = latest(nodeTasks.map((t) => t.finishedAt));
  const duration =
    startedAt !== null && finishedAt !== null ? isoDuration(Date.parse(finishedAt) - Date.parse(startedAt)) : null;
  return { status, error: failed?.error ?? null, startedAt, finishedAt, duration };
}
