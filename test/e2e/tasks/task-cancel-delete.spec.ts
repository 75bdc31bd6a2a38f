// Issue 14, POST /tasks/cancel and DELETE /tasks through Miroir, next to one Meilisearch node: the
// same filters and errors, a taskCancelation that cancels pending writes on the nodes (canceled
// tasks name it and join its batch), a taskDeletion that removes finished tasks from the registry.
import type { Task } from 'meilisearch';
import { TASK_WAIT } from '../../support/client';
import { holdTasks, json, startPair, type Pair, type Side } from './reference';

jest.setTimeout(300_000);

const KEY_UID = '3f0d3b8e-8a4e-4b61-9d0c-6f1e2a7b9c02';

describe('task cancelation and deletion, compared with one Meilisearch node', () => {
  let pair: Pair;
  let sides: Side[];
  /** Sides that serve DELETE /tasks: the dev node does not (Miroir never asks a node to delete tasks). */
  let deleting: Side[];

  beforeAll(async () => {
    pair = await startPair();
    sides = [pair.miroir, pair.reference];
    deleting = pair.sim ? [pair.miroir] : sides;
    for (const side of sides) {
      await side.client.index('movies').addDocuments([{ id: 1 }, { id: 2 }], { primaryKey: 'id' }).waitTask(TASK_WAIT);
      await side.client.index('books').addDocuments([{ id: 1 }], { primaryKey: 'id' }).waitTask(TASK_WAIT);
      // Created before any write is held, so holding writes never holds an index creation.
      await side.client.createIndex('pending', { primaryKey: 'id' }).waitTask(TASK_WAIT);
      await side.client.createKey({ uid: KEY_UID, actions: ['tasks.cancel', 'tasks.delete', 'tasks.get'], indexes: ['books'], expiresAt: null });
    }
  });
  afterAll(async () => {
    await pair?.stop();
  });

  it('refuses a cancelation or deletion without filters, or with unknown ones, as Meilisearch', async () => {
    const cases: Array<[string, string]> = [
      ['POST', '/tasks/cancel'],
      ['POST', '/tasks/cancel?limit=1'],
      ['POST', '/tasks/cancel?customMetadata=x'],
      ['POST', '/tasks/cancel?uids=abc'],
      ['POST', '/tasks/cancel?statuses=done'],
      ['POST', '/tasks/cancel?afterEnqueuedAt=yesterday'],
      ['DELETE', '/tasks'],
      ['DELETE', '/tasks?from=1'],
      ['DELETE', '/tasks?batchUids=x'],
      ['DELETE', '/tasks?canceledBy=x'],
      ['DELETE', '/tasks?types=documentAddition'],
    ];
    for (const [method, path] of cases) {
      const answers = await Promise.all((method === 'DELETE' ? deleting : sides).map(async (s) => json(await s.request(path, { method }))));
      expect(answers[0]!.status).toBe(400);
      if (answers.length > 1) expect([method, path, answers[0]]).toEqual([method, path, answers[1]]);
    }
    const missing = await json(await pair.miroir.request('/tasks', { method: 'DELETE' }));
    expect(missing.body).toMatchObject({ code: 'missing_task_filters', message: expect.stringMatching(/^Query parameters to filter the tasks to delete are missing\./) });
  });

  it('answers 200 with the summarized cancelation and records what it matched', async () => {
    const done = await Promise.all(
      sides.map(async (side) => {
        const res = await side.request('/tasks/cancel?uids=0,999999&statuses=*', { method: 'POST' });
        expect(res.status).toBe(200);
        const summary = (await res.json()) as { taskUid: number };
        expect(summary).toEqual({ taskUid: expect.any(Number), indexUid: null, status: 'enqueued', type: 'taskCancelation', enqueuedAt: expect.any(String) });
        return side.client.tasks.waitForTask(summary.taskUid, TASK_WAIT);
      }),
    );
    for (const t of done) {
      expect(t).toMatchObject({ type: 'taskCancelation', status: 'succeeded', indexUid: null, canceledBy: null, error: null });
      // Task 0 matched (it exists) but had finished: nothing to cancel.
      expect(t.details).toEqual({ matchedTasks: 1, canceledTasks: 0, originalFilter: '?uids=0,999999&statuses=*' });
      expect(t.batchUid).toEqual(expect.any(Number));
    }
  });

  it('cancels pending writes: they end canceled, name the cancelation and join its batch', async () => {
    const results = [];
    for (const side of sides) {
      const hold = await holdTasks(side, pair.sim, 'pending');
      const writes = [
        await side.client.index('pending').addDocuments([{ id: 1, title: 'one' }]),
        await side.client.index('pending').addDocuments([{ id: 2, title: 'two' }]),
        await side.client.index('pending').deleteDocument(1),
      ];
      const cancelation = await side.client.tasks.cancelTasks({ indexUids: ['pending'], statuses: ['enqueued', 'processing'] });
      const done = await side.client.tasks.waitForTask(cancelation.taskUid, TASK_WAIT);
      await hold.release();
      const pending = [...(hold.blocker === null ? [] : [hold.blocker]), ...writes.map((w) => w.taskUid)];
      expect(done).toMatchObject({ status: 'succeeded', type: 'taskCancelation' });
      expect(done.details).toEqual({ matchedTasks: pending.length, canceledTasks: pending.length, originalFilter: '?indexUids=pending&statuses=enqueued%2Cprocessing' });
      const canceled: Task[] = await Promise.all(writes.map((w) => side.client.tasks.getTask(w.taskUid)));
      for (const t of canceled) {
        expect(t).toMatchObject({ status: 'canceled', canceledBy: done.uid, batchUid: done.batchUid, error: null });
      }
      expect(canceled.map((t) => t.details)).toEqual([
        { receivedDocuments: 1, indexedDocuments: 0 },
        { receivedDocuments: 1, indexedDocuments: 0 },
        { providedIds: 1, deletedDocuments: 0, originalFilter: null },
      ]);
      const byCancelation = await side.client.tasks.getTasks({ canceledBy: [done.uid] });
      expect(byCancelation.results.map((t) => t.uid).sort((a, b) => a - b)).toEqual(pending);
      const batch = await side.client.batches.getBatch(done.batchUid!);
      expect(batch.stats).toMatchObject({ totalNbTasks: pending.length + 1, status: { succeeded: 1, canceled: pending.length } });
      expect(batch.stats.types).toMatchObject({ taskCancelation: 1, documentAdditionOrUpdate: pending.length - 1, documentDeletion: 1 });
      expect((await side.client.batches.getBatches({ canceledBy: [done.uid] })).results.map((b) => b.uid)).toEqual([done.batchUid]);
      // Nothing of the canceled writes was applied.
      expect(await json(await side.request('/indexes/pending/documents/2'))).toMatchObject({ status: 404, body: { code: 'document_not_found' } });
      results.push(done.details);
    }
    expect(results[0]).toEqual(results[1]);
  });

  it('deletes finished tasks: they are gone from GET /tasks, pending ones are kept', async () => {
    for (const side of deleting) {
      const a = await side.client.index('books').addDocuments([{ id: 7 }]).waitTask(TASK_WAIT);
      const b = await side.client.index('books').addDocuments([{ id: 8 }]).waitTask(TASK_WAIT);
      const res = await side.request(`/tasks?uids=${a.uid},${b.uid},999999`, { method: 'DELETE' });
      expect(res.status).toBe(200);
      const summary = (await res.json()) as { taskUid: number };
      expect(summary).toMatchObject({ indexUid: null, status: 'enqueued', type: 'taskDeletion' });
      const done = await side.client.tasks.waitForTask(summary.taskUid, TASK_WAIT);
      expect(done).toMatchObject({ status: 'succeeded', type: 'taskDeletion', indexUid: null, canceledBy: null, error: null });
      expect(done.details).toEqual({ matchedTasks: 2, deletedTasks: 2, originalFilter: `?uids=${a.uid},${b.uid},999999` });
      for (const uid of [a.uid, b.uid]) {
        expect(await json(await side.request(`/tasks/${uid}`))).toMatchObject({ status: 404, body: { code: 'task_not_found' } });
      }
      expect((await side.client.tasks.getTasks({ uids: [a.uid, b.uid] })).total).toBe(0);
      // A deletion of a deletion's own kind works too, and the documents stay.
      expect((await side.client.index('books').getDocument(7)).id).toBe(7);

      const hold = await holdTasks(side, pair.sim, 'books');
      const pending = await side.client.index('books').addDocuments([{ id: 9 }]);
      const deletion = await side.client.tasks.deleteTasks({ uids: [pending.taskUid] }).waitTask(TASK_WAIT);
      await hold.release();
      expect(deletion.details).toMatchObject({ matchedTasks: 1, deletedTasks: 0 });
      expect((await side.client.tasks.waitForTask(pending.taskUid, TASK_WAIT)).status).toBe('succeeded');
    }
  });

  it('lets an index-restricted key cancel and delete only its indexes tasks', async () => {
    for (const side of deleting) {
      const key = (await side.client.getKey(KEY_UID)).key;
      const asKey = (path: string, method: string) => side.request(path, { method, headers: { authorization: `Bearer ${key}` } });
      const movies = await side.client.index('movies').addDocuments([{ id: 3 }]).waitTask(TASK_WAIT);
      const books = await side.client.index('books').addDocuments([{ id: 3 }]).waitTask(TASK_WAIT);
      const res = await asKey(`/tasks?uids=${movies.uid},${books.uid}`, 'DELETE');
      expect(res.status).toBe(200);
      const done = await side.client.tasks.waitForTask(((await res.json()) as { taskUid: number }).taskUid, TASK_WAIT);
      expect(done.details).toMatchObject({ matchedTasks: 1, deletedTasks: 1 });
      expect((await side.client.tasks.getTask(movies.uid)).uid).toBe(movies.uid);
      expect(await json(await side.request(`/tasks/${books.uid}`))).toMatchObject({ status: 404 });
    }
  });
});
