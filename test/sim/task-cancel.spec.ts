// The dev node's task cancelation, batches and task documents (the node-side routes Miroir calls,
// issue 14): a cancelation cancels enqueued tasks at once, in one batch with itself, and survives a
// kill -9 and restart like any other task.
import { TASK_WAIT } from '../support/client';
import { startSim, type SimHandle } from './support/sim-node';

const MASTER = 'task-cancel-master-key-0123456789';

describe('dev node: task cancelation, batches, task documents', () => {
  let sim: SimHandle;
  const setDelay = (ms: number) =>
    fetch(`${sim.node.url}/_sim/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ indexingDelayMs: ms }) });

  beforeAll(async () => {
    sim = await startSim({ masterKey: MASTER, faults: true });
    await sim.client().createIndex('movies', { primaryKey: 'id' }).waitTask(TASK_WAIT);
  });
  afterAll(async () => {
    await sim?.dispose();
  });

  it('cancels enqueued tasks in one batch with the cancelation, durably', async () => {
    const client = sim.client();
    await setDelay(3_000);
    const a = await client.index('movies').addDocuments([{ id: 1 }]);
    const b = await client.index('movies').addDocuments([{ id: 2 }, { id: 3 }]);
    await client.updateExperimentalFeatures({ getTaskDocumentsRoute: true });
    const docs = await fetch(`${sim.node.url}/tasks/${b.taskUid}/documents`, { headers: { authorization: `Bearer ${MASTER}` } });
    expect([docs.status, docs.headers.get('content-type'), await docs.text()]).toEqual([200, 'application/x-ndjson', '{"id":2}{"id":3}']);
    const cancel = await client.tasks.cancelTasks({ uids: [a.taskUid, b.taskUid, 999] });
    const done = await client.tasks.waitForTask(cancel.taskUid, TASK_WAIT);
    await setDelay(0);
    expect(done).toMatchObject({ status: 'succeeded', type: 'taskCancelation', details: { matchedTasks: 2, canceledTasks: 2, originalFilter: `?uids=${a.taskUid}%2C${b.taskUid}%2C999` } });
    await sim.node.kill9();
    await sim.node.restart();
    for (const uid of [a.taskUid, b.taskUid]) {
      expect(await client.tasks.getTask(uid)).toMatchObject({ status: 'canceled', canceledBy: done.uid, batchUid: done.batchUid, details: { indexedDocuments: 0 } });
    }
    const batch = await client.batches.getBatch(done.batchUid!);
    expect(batch.stats).toEqual({ totalNbTasks: 3, status: { canceled: 2, succeeded: 1 }, types: { documentAdditionOrUpdate: 2, taskCancelation: 1 }, indexUids: { movies: 2 } });
    expect(batch.details).toMatchObject({ receivedDocuments: 3, indexedDocuments: 0, matchedTasks: 2, canceledTasks: 2 });
    expect((await client.index('movies').getDocuments()).total).toBe(0);
    // The task log goes on after the cancelation.
    expect((await client.index('movies').addDocuments([{ id: 4 }]).waitTask(TASK_WAIT)).status).toBe('succeeded');
  });
});
