import { TaskTimeoutError } from '@miroir/meili/errors';
import type { Task } from '@miroir/meili/types';
import { isTerminal, nextPollDelay, waitForTask, WAIT_DEFAULTS } from '@miroir/meili/wait-task';

describe('task polling backoff', () => {
  it('grows geometrically up to the cap', () => {
    const shape = { maxIntervalMs: 1_000, backoff: 1.5 };
    const delays: number[] = [];
    let d: number = WAIT_DEFAULTS.intervalMs;
    for (let i = 0; i < 12; i++) {
      delays.push(d);
      d = nextPollDelay(d, shape);
    }
    expect(delays.slice(0, 3)).toEqual([25, 37.5, 56.25]);
    expect(Math.max(...delays)).toBe(1_000);
    for (let i = 1; i < delays.length; i++) expect(delays[i]!).toBeGreaterThanOrEqual(delays[i - 1]!);
  });

  it('knows the terminal statuses', () => {
    expect(['succeeded', 'failed', 'canceled'].every((status) => isTerminal({ status: status as 'failed' }))).toBe(true);
    expect(isTerminal({ status: 'enqueued' })).toBe(false);
    expect(isTerminal({ status: 'processing' })).toBe(false);
  });
});

describe('waitForTask', () => {
  // getTask is a plain function parameter, so the polling loop is testable without any HTTP.
  const task = (status: Task['status']): Task => ({ uid: 7, indexUid: 'a', status, type: 'indexCreation', canceledBy: null, error: null, duration: null, enqueuedAt: '', startedAt: null, finishedAt: null });

  it('polls until terminal and returns the task, failed included', async () => {
    const statuses: Array<Task['status']> = ['enqueued', 'processing', 'processing', 'failed'];
    const seen: number[] = [];
    const t = await waitForTask('n', async (uid, o) => {
      seen.push(o.timeoutMs ?? -1);
      expect(uid).toBe(7);
      return task(statuses.shift()!);
    }, 10_000, 7, { intervalMs: 1 });
    expect(t.status).toBe('failed');
    expect(seen).toHaveLength(4);
    expect(seen.every((ms) => ms > 0 && ms <= 10_000)).toBe(true);
  });

  it('throws TaskTimeoutError with the last status', async () => {
    const err = await waitForTask('node-3', async () => task('processing'), 10_000, 7, { timeoutMs: 60, intervalMs: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskTimeoutError);
    expect(err).toMatchObject({ nodeId: 'node-3', taskUid: 7, lastStatus: 'processing' });
  });
});
