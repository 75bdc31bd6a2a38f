import fc from 'fast-check';
import { inTaskOrder, isTerminal, type ActualTaskState, type TaskOrderGate, type TaskStatus } from '@miroir/core';

const at = (ms: number) => new Date(Date.UTC(2025, 0, 1) + ms);
const gate = (over: Partial<TaskOrderGate> = {}): TaskOrderGate => ({
  blocked: false,
  previousFinishedAt: null,
  enqueuedAt: at(100),
  shownStartedAt: null,
  now: at(1_000),
  ...over,
});
const state = (status: TaskStatus, startedAt: number | null, finishedAt: number | null): ActualTaskState => ({
  status,
  startedAt: startedAt === null ? null : at(startedAt),
  finishedAt: finishedAt === null ? null : at(finishedAt),
});

describe('per-index task order (what a task may show)', () => {
  it('shows enqueued, without times, while an earlier task of its index is unfinished', () => {
    expect(inTaskOrder(state('succeeded', 200, 300), gate({ blocked: true }))).toEqual({ status: 'enqueued', startedAt: null, finishedAt: null, held: true });
    expect(inTaskOrder(state('processing', 200, null), gate({ blocked: true }))).toMatchObject({ status: 'enqueued', held: true });
    expect(inTaskOrder(state('enqueued', null, null), gate({ blocked: true }))).toMatchObject({ status: 'enqueued', held: false });
  });

  it('keeps real times that already respect the order', () => {
    expect(inTaskOrder(state('succeeded', 200, 300), gate({ previousFinishedAt: at(150) }))).toEqual({ status: 'succeeded', startedAt: at(200), finishedAt: at(300), held: false });
    expect(inTaskOrder(state('processing', 200, null), gate())).toEqual({ status: 'processing', startedAt: at(200), finishedAt: null, held: false });
  });

  it('never starts before it was enqueued (node clocks, a node task started before Miroir recorded the task)', () => {
    expect(inTaskOrder(state('succeeded', 50, 80), gate())).toEqual({ status: 'succeeded', startedAt: at(100), finishedAt: at(100), held: false });
  });

  it('starts after the previous task finished', () => {
    expect(inTaskOrder(state('failed', 200, 300), gate({ previousFinishedAt: at(250) }))).toEqual({ status: 'failed', startedAt: at(250), finishedAt: at(300), held: false });
    expect(inTaskOrder(state('succeeded', 200, 300), gate({ previousFinishedAt: at(400) }))).toEqual({ status: 'succeeded', startedAt: at(400), finishedAt: at(400), held: false });
  });

  it('keeps the start a processing task already shows', () => {
    expect(inTaskOrder(state('succeeded', 500, 600), gate({ shownStartedAt: at(300) }))).toMatchObject({ startedAt: at(300), finishedAt: at(600) });
  });

  it('uses the database clock for a state without times', () => {
    expect(inTaskOrder(state('succeeded', null, null), gate())).toMatchObject({ startedAt: at(1_000), finishedAt: at(1_000) });
  });

  it('always gives enqueuedAt ≤ startedAt ≤ finishedAt and startedAt ≥ the previous finish', () => {
    const time = fc.option(fc.integer({ min: 0, max: 2_000 }), { nil: null });
    const status = fc.constantFrom<TaskStatus>('enqueued', 'processing', 'succeeded', 'failed', 'canceled');
    fc.assert(
      fc.property(status, time, time, time, fc.integer({ min: 0, max: 2_000 }), fc.boolean(), (s, started, finished, previous, enqueued, blocked) => {
        const g = gate({ blocked, enqueuedAt: at(enqueued), previousFinishedAt: previous === null ? null : at(previous), now: at(3_000) });
        const shown = inTaskOrder(state(s, started, finished), g);
        if (shown.status === 'enqueued') return shown.startedAt === null && shown.finishedAt === null;
        const floor = Math.max(enqueued, previous ?? 0);
        const ok = shown.startedAt!.getTime() >= at(floor).getTime();
        return ok && (isTerminal(shown.status) ? shown.finishedAt!.getTime() >= shown.startedAt!.getTime() : shown.finishedAt === null);
      }),
    );
  });
});
