// Acceptance 6 of issue 5: Miroir tasks have integer uids, GET /tasks filters and paginates as
// Meilisearch does, and tasks survive an API restart.
import type { Meilisearch } from 'meilisearch';
import { Client } from 'pg';
import { startTestCluster, type TestCluster } from '../../support/cluster';

jest.setTimeout(240_000);

describe('task registry, 3 nodes, RG=1 RF=2', () => {
  let cluster: TestCluster;
  let client: Meilisearch;
  const uids: number[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 3, replicationFactor: 2 });
    client = cluster.client();
    // Five tasks over two indexes: three additions, one deletion, one failing deletion by filter.
    for (const [uid, docs] of [['books', [{ id: 1 }, { id: 2 }]], ['films', [{ id: 1 }]], ['books', [{ id: 3 }]]] as const) {
      uids.push((await client.index(uid).addDocuments([...docs], { primaryKey: 'id' }).waitTask()).uid);
    }
    uids.push((await client.index('books').deleteDocument(2).waitTask()).uid);
    uids.push((await client.index('films').deleteDocuments({ filter: 'id = 1' }).waitTask()).uid);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('gives every write an integer task uid, increasing, and a Meilisearch task object', async () => {
    for (const uid of uids) expect(Number.isInteger(uid)).toBe(true);
    expect([...uids].sort((a, b) => a - b)).toEqual(uids);
    const res = await cluster.request(`/tasks/${uids[3]}`);
    expect(res.status).toBe(200);
    const task = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(task)).toEqual(['uid', 'batchUid', 'indexUid', 'status', 'type', 'canceledBy', 'details', 'error', 'duration', 'enqueuedAt', 'startedAt', 'finishedAt']);
    expect(task).toMatchObject({ uid: uids[3], indexUid: 'books', status: 'succeeded', type: 'documentDeletion', error: null, details: { providedIds: 1, deletedDocuments: 1 } });
    expect(task.duration).toMatch(/^PT[\d.]+S$/);
    for (const k of ['enqueuedAt', 'startedAt', 'finishedAt']) expect(Number.isNaN(Date.parse(String(task[k])))).toBe(false);
  });

  it('a failed node task fails the Miroir task with the node error', async () => {
    const task = await client.tasks.getTask(uids[4]!);
    expect(task.status).toBe('failed');
    expect(task.error).toMatchObject({ code: 'invalid_document_filter', type: 'invalid_request' });
  });

  it('filters and paginates GET /tasks as Meilisearch does', async () => {
    const all = await client.tasks.getTasks();
    expect(all.results.map((t) => t.uid)).toEqual(expect.arrayContaining(uids));
    expect(all.results.map((t) => t.uid)).toEqual([...all.results.map((t) => t.uid)].sort((a, b) => b - a));
    expect(all.total).toBeGreaterThanOrEqual(5);

    const books = await client.tasks.getTasks({ indexUids: ['books'] });
    expect(books.results.every((t) => t.indexUid === 'books')).toBe(true);
    expect(books.results.map((t) => t.uid)).toEqual(expect.arrayContaining([uids[0], uids[2], uids[3]]));

    const failed = await client.tasks.getTasks({ statuses: ['failed'] });
    expect(failed.results.map((t) => t.uid)).toEqual([uids[4]]);

    const deletions = await client.tasks.getTasks({ types: ['documentDeletion'], indexUids: ['films', 'books'] });
    expect(deletions.results.map((t) => t.uid)).toEqual([uids[4], uids[3]]);

    const some = await client.tasks.getTasks({ uids: [uids[0]!, uids[1]!] });
    expect(some.results.map((t) => t.uid)).toEqual([uids[1], uids[0]]);

    const firstPage = await client.tasks.getTasks({ indexUids: ['books', 'films'], limit: 2 });
    expect(firstPage).toMatchObject({ limit: 2, from: uids[4], next: uids[2], total: 5 });
    const secondPage = await client.tasks.getTasks({ indexUids: ['books', 'films'], limit: 2, from: firstPage.next! });
    expect(secondPage.results.map((t) => t.uid)).toEqual([uids[2], uids[1]]);

    const reversed = await client.tasks.getTasks({ indexUids: ['books', 'films'], reverse: true, limit: 2 });
    expect(reversed.results.map((t) => t.uid)).toEqual([uids[0], uids[1]]);

    const later = await client.tasks.getTasks({ indexUids: ['books', 'films'], afterEnqueuedAt: new Date(Date.now() + 60_000).toISOString() });
    expect(later).toMatchObject({ results: [], total: 0, from: null, next: null });
  });

  it('answers Meilisearch errors for unknown tasks and bad parameters', async () => {
    const cases: Array<[string, number, string]> = [
      ['/tasks/999999', 404, 'task_not_found'],
      ['/tasks/abc', 400, 'invalid_task_uids'],
      ['/tasks?statuses=done', 400, 'invalid_task_statuses'],
      ['/tasks?types=documentAddition', 400, 'invalid_task_types'],
      ['/tasks?limit=-1', 400, 'invalid_task_limit'],
      ['/tasks?afterEnqueuedAt=yesterday', 400, 'invalid_task_after_enqueued_at'],
      ['/tasks?colour=red', 400, 'bad_request'],
    ];
    for (const [path, code, errorCode] of cases) {
      const res = await cluster.request(path);
      expect([path, res.status]).toEqual([path, code]);
      expect(await res.json()).toMatchObject({ code: errorCode, link: `https://docs.meilisearch.com/errors#${errorCode}` });
    }
  });

  it('keeps every task across an API restart', async () => {
    const before = await client.tasks.getTasks({ uids });
    await cluster.restartApi();
    const after = await cluster.client().tasks.getTasks({ uids });
    expect(after).toEqual(before);
    const next = await cluster.client().index('books').addDocuments([{ id: 9 }]).waitTask();
    expect(next.uid).toBeGreaterThan(Math.max(...uids));
  });

  it('finishes tasks nobody polls: the background reconciler follows the node tasks', async () => {
    const res = await cluster.request('/indexes/books/documents', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ id: 20 }, { id: 21 }]),
    });
    expect(res.status).toBe(202);
    const { taskUid } = (await res.json()) as { taskUid: number };
    const pg = new Client({ connectionString: cluster.databaseUrl });
    await pg.connect();
    try {
      const deadline = Date.now() + 15_000;
      let row: { status: string; details: Record<string, unknown> } | undefined;
      while (Date.now() < deadline) {
        row = (await pg.query('SELECT status, details FROM tasks WHERE uid = $1', [taskUid])).rows[0];
        if (row?.status === 'succeeded') break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(row).toMatchObject({ status: 'succeeded', details: { receivedDocuments: 2, indexedDocuments: 2 } });
    } finally {
      await pg.end();
    }
  });
});
