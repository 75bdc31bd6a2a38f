// Per-index task order (docs/architecture.md, "Task order"): as on one Meilisearch node, a task of
// an index is shown started only once every earlier task of that index has finished, and its times
// never go backwards: enqueuedAt ≤ startedAt ≤ finishedAt, and startedAt ≥ the previous task's
// finishedAt. Miroir runs work concurrently underneath (node tasks, workflows); this decides what
// a task may show, from what actually happened and where the index's earlier tasks stand.
import { isTerminal, type TaskStatus } from './task-status';

/** What actually happened to a task so far (node tasks aggregated, or what its workflow reported). */
export interface ActualTaskState {
  readonly status: TaskStatus;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
}

/** Where the task's index stands, read in the same transaction that writes the task. */
export interface TaskOrderGate {
  /** An earlier task of the same index has not finished (always false for tasks of no index). */
  readonly blocked: boolean;
  /** When the previous task of the index finished; null if there is none. */
  readonly previousFinishedAt: Date | null;
  readonly enqueuedAt: Date;
  /** The startedAt the task already shows (a task shown processing keeps it). */
  readonly shownStartedAt: Date | null;
  /** The database clock, for a state that carries no time of its own. */
  readonly now: Date;
}

export interface ShownTaskState {
  readonly status: TaskStatus;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
  /** The task has progressed further than it may show yet (an earlier task is unfinished). */
  readonly held: boolean;
}

function latest(...dates: Array<Date | null>): Date {
  let best: Date | null = null;
  for (const d of dates) if (d !== null && (best === null || d.getTime() > best.getTime())) best = d;
  return best!;
}

/**
 * The state a task may show. While an earlier task of its index is unfinished it shows `enqueued`
 * (held if it has in fact started or finished); afterwards its real times, moved forward where
 * needed so that it starts no earlier than it was enqueued and than the previous task finished,
 * and finishes no earlier than it started.
 */
export function inTaskOrder(actual: ActualTaskState, gate: TaskOrderGate): ShownTaskState {
  if (actual.status === 'enqueued' || gate.blocked) {
    return { status: 'enqueued', startedAt: null, finishedAt: null, held: actual.status !== 'enqueued' };
  }
  const floor = latest(gate.enqueuedAt, gate.previousFinishedAt);
  const startedAt = gate.shownStartedAt ?? latest(actual.startedAt ?? actual.finishedAt ?? gate.now, floor);
  if (!isTerminal(actual.status)) return { status: actual.status, startedAt, finishedAt: null, held: false };
  return { status: actual.status, startedAt, finishedAt: latest(actual.finishedAt ?? gate.now, startedAt), held: false };
}
