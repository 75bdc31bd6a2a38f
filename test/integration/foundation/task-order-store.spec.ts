// Per-index task order in Postgres (libs/store task-order.repository.ts, docs/architecture.md "Task
// order"): a workflow's report is held while an earlier task of its index is unfinished and shown,
// with times that never go backwards, once that task finishes; writes wait for undispatched ones.
import type { DataSource } from 'typeorm';
import {
  findTask,
  insertTask,
  markTaskDispatched,
  openStore,
  reportWorkflowOutcome,
  showHeldOutcomes,
  undispatchedIndexTasks,
  writeInTaskOrder,
  type TaskRecord,
} from '@miroir/store';
import { inTaskOrder } from '@miroir/core';
import { createTestDatabase } from '../../support/stack';

describe('task order in the store (real Postgres)', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = await openStore(await createTestDatabase());
  });
  afterAll(() => ds?.destroy());

  const nodeWrite = (indexUid: string | null) => insertTask(ds, { indexUid, type: 'documentAdditionOrUpdate', status: 'enqueued', nodeTasks: [{ nodeId: 'meili-0', taskUid: 1 }], details: {} });
  const workflowTask = (indexUid: string | null, type = 'settingsUpdate') =>
    insertTask(ds, { indexUid, type, status: 'enqueued', nodeTasks: [], details: { a: 1 }, workflowId: `wf:${indexUid}` });
  const get = async (uid: number): Promise<TaskRecord> => (await findTask(ds, uid))!;
  /** What the API refresher does for a node-write task whose node tasks are all done. */
  const finishNodeWrite = (uid: number, startedAt: Date, finishedAt: Date) =>
    writeInTaskOrder(ds, uid, (row) => {
      const shown = inTaskOrder({ status: 'succeeded', startedAt, finishedAt }, { ...row, shownStartedAt: row.startedAt });
      return { ...shown, heldOutcome: null };
    });

  it('holds a workflow report behind an unfinished earlier task, then shows it after that task finished', async () => {
    const docs = await nodeWrite('books');
    const settings = await workflowTask('books');
    await reportWorkflowOutcome(ds, settings.uid, { status: 'processing' });
    expect(await get(settings.uid)).toMatchObject({ status: 'enqueued', startedAt: null });
    await reportWorkflowOutcome(ds, settings.uid, { status: 'succeeded', details: { b: 2 } });
    expect(await get(settings.uid)).toMatchObject({ status: 'enqueued', startedAt: null, finishedAt: null });

    // The earlier write finishes (its node tasks ran before the settings change's on the nodes,
    // but Miroir saw it later): the held report is shown after it.
    const late = new Date(Date.now() + 60_000);
    await finishNodeWrite(docs.uid, docs.enqueuedAt, late);
    await showHeldOutcomes(ds, 'books');
    const shown = await get(settings.uid);
    expect(shown).toMatchObject({ status: 'succeeded', details: { a: 1, b: 2 }, error: null });
    expect(shown.startedAt!.getTime()).toBeGreaterThanOrEqual(late.getTime());
    expect(shown.finishedAt!.getTime()).toBeGreaterThanOrEqual(shown.startedAt!.getTime());
    expect((await get(docs.uid)).finishedAt!.getTime()).toBe(late.getTime());
  });

  it('shows a report at once when nothing earlier is unfinished, never before the task was enqueued', async () => {
    const t = await workflowTask('films', 'indexCreation');
    await reportWorkflowOutcome(ds, t.uid, { status: 'failed', error: { message: 'no', code: 'index_already_exists', type: 'invalid_request', link: '' } });
    const shown = await get(t.uid);
    expect(shown).toMatchObject({ status: 'failed', error: { code: 'index_already_exists' } });
    expect(shown.startedAt!.getTime()).toBeGreaterThanOrEqual(shown.enqueuedAt.getTime());
    // Terminal rows never change: a late retry of an earlier report is a no-op.
    await reportWorkflowOutcome(ds, t.uid, { status: 'processing' });
    expect((await get(t.uid)).status).toBe('failed');
  });

  it('keeps a node write enqueued while an earlier task of its index is unfinished', async () => {
    const settings = await workflowTask('songs');
    const docs = await nodeWrite('songs');
    await finishNodeWrite(docs.uid, new Date(), new Date());
    expect(await get(docs.uid)).toMatchObject({ status: 'enqueued', startedAt: null });
    await reportWorkflowOutcome(ds, settings.uid, { status: 'succeeded' });
    await finishNodeWrite(docs.uid, new Date(0), new Date(0));
    const [s, d] = [await get(settings.uid), await get(docs.uid)];
    expect(d.status).toBe('succeeded');
    expect(d.startedAt!.getTime()).toBeGreaterThanOrEqual(s.finishedAt!.getTime());
  });

  it('does not order tasks of other indexes, or of no index', async () => {
    await nodeWrite('albums');
    const other = await workflowTask('poems');
    const global = await workflowTask(null, 'taskDeletion');
    await reportWorkflowOutcome(ds, other.uid, { status: 'succeeded' });
    await reportWorkflowOutcome(ds, global.uid, { status: 'succeeded' });
    expect((await get(other.uid)).status).toBe('succeeded');
    expect((await get(global.uid)).status).toBe('succeeded');
  });

  it('lists the undispatched workflow tasks a write waits for: dispatched or finished ones do not count', async () => {
    const a = await workflowTask('maps');
    const b = await workflowTask('maps', 'indexUpdate');
    await nodeWrite('maps');
    expect((await undispatchedIndexTasks(ds, 'maps')).uids).toEqual([a.uid, b.uid]);
    expect((await undispatchedIndexTasks(ds, 'maps', { beforeUid: b.uid })).uids).toEqual([a.uid]);
    await markTaskDispatched(ds, a.uid);
    await reportWorkflowOutcome(ds, b.uid, { status: 'succeeded' });
    // b's report is held behind a (still processing on the nodes), but b is dispatched.
    expect((await get(b.uid)).status).toBe('enqueued');
    expect((await undispatchedIndexTasks(ds, 'maps')).uids).toEqual([]);
    const c = await workflowTask('maps');
    expect((await undispatchedIndexTasks(ds, 'maps', { upTo: b.uid })).uids).toEqual([]);
    expect((await undispatchedIndexTasks(ds, 'maps')).uids).toEqual([c.uid]);
  });
});
