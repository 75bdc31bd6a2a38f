// Polling a node task until it is terminal, with exponential backoff: fast for the common
// sub-100 ms task, gentle on the node for long ones (a big document batch, a settings change that
// reindexes).
import { TaskTimeoutError } from './errors';
import { TERMINAL_TASK_STATUSES, type Task } from './types';
import type { CallOptions } from './transport';

export interface WaitForTaskOptions {
  /** Give up after this long (default 60 000 ms) with TaskTimeoutError. */
  timeoutMs?: number;
  /** First poll interval (default 25 ms); grows by `backoff` up to `maxIntervalMs`. */
  intervalMs?: number;
  /** Default 1 000 ms. */
  maxIntervalMs?: number;
  /** Growth factor of the interval (default 1.5). */
  backoff?: number;
  /** Aborts the wait (the pending poll fails with NodeUnavailableError reason 'aborted'). */
  signal?: AbortSignal;
  /** Deadline of each poll request (default: the client's, capped by the time left). */
  requestTimeoutMs?: number;
}

export const WAIT_DEFAULTS: Readonly<{ timeoutMs: number; intervalMs: number; maxIntervalMs: number; backoff: number }> = Object.freeze({ timeoutMs: 60_000, intervalMs: 25, maxIntervalMs: 1_000, backoff: 1.5 });

/** The poll interval after `previous`: multiplied by backoff, capped at maxIntervalMs. */
export function nextPollDelay(previous: number, opts: { maxIntervalMs: number; backoff: number }): number {
  return Math.min(previous * opts.backoff, opts.maxIntervalMs);
}

export const isTerminal = (task: Pick<Task, 'status'>): boolean => TERMINAL_TASK_STATUSES.has(task.status);

export async function waitForTask(
  nodeId: string,
  getTask: (taskUid: number, opts: CallOptions) => Promise<Task>,
  clientTimeoutMs: number,
  taskUid: number,
  opts: WaitForTaskOptions = {},
): Promise<Task> {
  const timeoutMs = opts.timeoutMs ?? WAIT_DEFAULTS.timeoutMs;
  const shape = { maxIntervalMs: opts.maxIntervalMs ?? WAIT_DEFAULTS.maxIntervalMs, backoff: opts.backoff ?? WAIT_DEFAULTS.backoff };
  const deadline = Date.now() + timeoutMs;
  let delay = opts.intervalMs ?? WAIT_DEFAULTS.intervalMs;
  let last: Task | undefined;
  for (;;) {
    const remaining = deadline - Date.now();
    // Capped by the time left, but never so short that the last poll itself spuriously times out.
    const requestTimeout = Math.min(opts.requestTimeoutMs ?? clientTimeoutMs, Math.max(remaining, 250));
    last = await getTask(taskUid, { signal: opts.signal, timeoutMs: requestTimeout });
    if (isTerminal(last)) return last;
    const left = deadline - Date.now();
    if (left <= 0) throw new TaskTimeoutError(nodeId, taskUid, last.status, timeoutMs);
    await sleep(Math.min(delay, left), opts.signal);
    delay = nextPollDelay(delay, shape);
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(); // the next poll reports the abort
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
