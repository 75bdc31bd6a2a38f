// Miroir's batches (apps/api/src/tasks/batch-view.ts): one per task, a cancelation's batch holding
// the tasks it canceled, summed up as Meilisearch shows a batch.
import type { TaskRecord } from '@miroir/store';
import { batchView } from '../../../../apps/api/src/tasks/batch-view';
import { batchUidOf, taskView } from '../../../../apps/api/src/tasks/task-view';

const at = (s: number): Date => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

function task(p: Partial<TaskRecord> & Pick<TaskRecord, 'uid' | 'status' | 'type'>): TaskRecord {
  return {
    indexUid: 'movies',
    nodeTasks: [],
    details: null,
    error: null,
    workflowId: null,
    enqueuedAt: at(0),
    startedAt: null,
    finishedAt: null,
    customMetadata: null,
    canceledBy: null,
    taskFilter: null,
    ...p,
  } as TaskRecord;
}

describe('batch of a task', () => {
  it('is none while enqueued, the task itself once it runs, the cancelation once canceled by one', () => {
    expect(batchUidOf(task({ uid: 3, status: 'enqueued', type: 'documentAdditionOrUpdate' }))).toBeNull();
    expect(batchUidOf(task({ uid: 3, status: 'processing', type: 'documentAdditionOrUpdate' }))).toBe(3);
    // A cancelation's claim on a task still running is not shown.
    expect(batchUidOf(task({ uid: 3, status: 'processing', type: 'documentAdditionOrUpdate', canceledBy: 9 }))).toBe(3);
    expect(batchUidOf(task({ uid: 3, status: 'canceled', type: 'documentAdditionOrUpdate', canceledBy: 9 }))).toBe(9);
    expect(taskView(task({ uid: 3, status: 'succeeded', type: 'documentAdditionOrUpdate', canceledBy: 9 })).canceledBy).toBeNull();
  });

  it('prints customMetadata last, and only when set', () => {
    const plain = taskView(task({ uid: 1, status: 'enqueued', type: 'documentAdditionOrUpdate' }));
    expect(Object.keys(plain)).not.toContain('customMetadata');
    const withMeta = taskView(task({ uid: 1, status: 'enqueued', type: 'documentAdditionOrUpdate', customMetadata: '' }));
    expect(Object.keys(withMeta).at(-1)).toBe('customMetadata');
    expect(withMeta.customMetadata).toBe('');
  });
});

describe('batchView', () => {
  it('shows a finished one-task batch as Meilisearch does', () => {
    const t = task({
      uid: 5,
      status: 'succeeded',
      type: 'documentAdditionOrUpdate',
      details: { receivedDocuments: 2, indexedDocuments: 2 },
      startedAt: at(1),
      finishedAt: at(3),
    });
    expect(batchView(5, [t])).toEqual({
      uid: 5,
      progress: null,
      details: { receivedDocuments: 2, indexedDocuments: 2 },
      stats: { totalNbTasks: 1, status: { succeeded: 1 }, types: { documentAdditionOrUpdate: 1 }, indexUids: { movies: 1 } },
      duration: 'PT2S',
      startedAt: at(1).toISOString(),
      finishedAt: at(3).toISOString(),
      batchStrategy: 'created batch containing only task with id 5 of type `documentAdditionOrUpdate` that cannot be batched with any other task.',
    });
    expect(batchView(6, [t])).toBeNull();
  });

  it('leaves null details out of a finished batch, as Meilisearch does, but not of a running one', () => {
    const done = task({ uid: 2, status: 'succeeded', type: 'documentDeletion', details: { providedIds: 1, deletedDocuments: 1, originalFilter: null }, startedAt: at(1), finishedAt: at(1) });
    expect(batchView(2, [done])!.details).toEqual({ providedIds: 1, deletedDocuments: 1 });
    const running = task({ uid: 3, status: 'processing', type: 'documentAdditionOrUpdate', details: { receivedDocuments: 1, indexedDocuments: null }, startedAt: at(1) });
    expect(batchView(3, [running])!.details).toEqual({ receivedDocuments: 1, indexedDocuments: null });
  });

  it('gathers a cancelation and the tasks it canceled, adding up their counts', () => {
    const cancel = task({
      uid: 9,
      indexUid: null,
      status: 'succeeded',
      type: 'taskCancelation',
      details: { matchedTasks: 2, canceledTasks: 2, originalFilter: '?indexUids=movies' },
      startedAt: at(4),
      finishedAt: at(6),
    });
    const a = task({ uid: 7, status: 'canceled', type: 'documentAdditionOrUpdate', canceledBy: 9, details: { receivedDocuments: 100, indexedDocuments: 0 }, startedAt: at(4), finishedAt: at(5) });
    const b = task({ uid: 8, status: 'canceled', type: 'documentAdditionOrUpdate', canceledBy: 9, details: { receivedDocuments: 1, indexedDocuments: 0 }, startedAt: at(5), finishedAt: at(5) });
    const other = task({ uid: 6, status: 'succeeded', type: 'documentAdditionOrUpdate', startedAt: at(1), finishedAt: at(2) });
    const view = batchView(9, [other, cancel, b, a])!;
    expect(view.details).toEqual({ receivedDocuments: 101, indexedDocuments: 0, matchedTasks: 2, canceledTasks: 2, originalFilter: '?indexUids=movies' });
    expect(view.stats).toEqual({
      totalNbTasks: 3,
      status: { canceled: 2, succeeded: 1 },
      types: { documentAdditionOrUpdate: 2, taskCancelation: 1 },
      indexUids: { movies: 2 },
    });
    expect(view.batchStrategy).toContain('task with id 9 of type `taskCancelation`');
    expect([view.startedAt, view.finishedAt, view.duration]).toEqual([at(4).toISOString(), at(6).toISOString(), 'PT2S']);
  });

  it('shows the progress of a running batch from its node tasks', () => {
    const t = task({
      uid: 4,
      status: 'processing',
      type: 'documentAdditionOrUpdate',
      details: { receivedDocuments: 3, indexedDocuments: null },
      startedAt: at(1),
      nodeTasks: [
        { nodeId: 'a', taskUid: 1, status: 'succeeded' },
        { nodeId: 'b', taskUid: 1, status: 'processing' },
        { nodeId: 'c', taskUid: 2, status: 'enqueued' },
        { nodeId: 'd', taskUid: 2, status: 'succeeded' },
      ],
    });
    const view = batchView(4, [t])!;
    expect(view.progress).toEqual({
      steps: [
        { currentStep: 'processing tasks', finished: 0, total: 1 },
        { currentStep: 'waiting for node tasks', finished: 2, total: 4 },
      ],
      percentage: 50,
    });
    expect([view.finishedAt, view.duration, view.stats.status]).toEqual([null, null, { processing: 1 }]);
  });
});

describe('task view of cancelations and deletions', () => {
  it('prints their details in Meilisearch order, whatever order Postgres keeps', () => {
    const t = task({ uid: 1, indexUid: null, status: 'succeeded', type: 'taskDeletion', details: { deletedTasks: 2, matchedTasks: 2, originalFilter: '?uids=1' } });
    expect(Object.keys(taskView(t).details!)).toEqual(['matchedTasks', 'deletedTasks', 'originalFilter']);
  });
});
