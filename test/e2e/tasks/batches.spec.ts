// Issue 14, GET /batches and GET /batches/{uid}: Miroir's batches (one per task, a cancelation's
// batch holding the tasks it canceled) answered like one Meilisearch node holding the same data, and
// the task filters Meilisearch 1.50 added (`*` date bounds, the networkTopologyChange type).
import type { Batch, Meilisearch, Task } from 'meilisearch';
import { TASK_WAIT } from '../../support/client';
import { json, startPair, type Pair, type Side } from './reference';

jest.setTimeout(300_000);

const KEY_UID = '3f0d3b8e-8a4e-4b61-9d0c-6f1e2a7b9c01';

/** What may legitimately differ between engines: times, and how a node describes its batching. */
function comparable(b: Batch): Record<string, unknown> {
  const { uid: _uid, duration: _d, startedAt: _s, finishedAt: _f, batchStrategy: _b, stats, ...rest } = b;
  const { progressTrace: _p, writeChannelCongestion: _w, internalDatabaseSizes: _i, ...counts } = stats;
  return { ...rest, stats: counts };
}

describe('batches, compared with one Meilisearch node', () => {
  let pair: Pair;
  let sides: Side[];
  /** Per side, the tasks of the scenario in order. */
  const tasks = new Map<Side['name'], Task[]>();

  beforeAll(async () => {
    pair = await startPair();
    sides = [pair.miroir, pair.reference];
    for (const side of sides) {
      const c = side.client;
      const done: Task[] = [];
      done.push(await c.index('movies').addDocuments([{ id: 1, genre: 'drama' }, { id: 2, genre: 'comedy' }], { primaryKey: 'id' }).waitTask(TASK_WAIT));
      done.push(await c.index('movies').updateSettings({ filterableAttributes: ['genre'] }).waitTask(TASK_WAIT));
      done.push(await c.index('books').addDocuments([{ id: 1 }], { primaryKey: 'id' }).waitTask(TASK_WAIT));
      done.push(await c.index('movies').deleteDocument(1).waitTask(TASK_WAIT));
      done.push(await c.index('movies').deleteDocuments({ filter: 'year = 1' }).waitTask(TASK_WAIT));
      tasks.set(side.name, done);
      await c.createKey({ uid: KEY_UID, actions: ['tasks.get'], indexes: ['books'], expiresAt: null });
    }
  });
  afterAll(async () => {
    await pair?.stop();
  });

  it('gives every finished task a batch that names it, as Meilisearch does', async () => {
    for (const side of sides) {
      const list = tasks.get(side.name)!;
      expect(list.map((t) => t.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded', 'failed']);
      for (const t of list) {
        expect(t.batchUid).toEqual(expect.any(Number));
        const batch = await side.client.batches.getBatch(t.batchUid!);
        expect(batch.stats.types[t.type]).toBeGreaterThanOrEqual(1);
        expect(batch.stats.status[t.status]).toBeGreaterThanOrEqual(1);
        expect(batch.stats.indexUids[t.indexUid!]).toBeGreaterThanOrEqual(1);
        expect(batch.progress).toBeNull();
        expect(Date.parse(batch.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(batch.startedAt));
      }
    }
    // One task per batch on both sides here (each was awaited before the next): the same batches.
    const [mine, theirs] = await Promise.all(sides.map(async (s) => (await Promise.all(tasks.get(s.name)!.map((t) => s.client.batches.getBatch(t.batchUid!)))).map(comparable)));
    // Settings details differ between engines only in what a settings task reports; compare the rest exactly.
    expect(mine.filter((_, i) => i !== 1)).toEqual(theirs!.filter((_, i) => i !== 1));
    expect(mine[1]!.stats).toEqual(theirs![1]!.stats);
  });

  it('lists and pages batches as GET /tasks does: newest first, from, next, reverse, total', async () => {
    const shapes = await Promise.all(
      sides.map(async (side) => {
        const all = await side.client.batches.getBatches();
        expect(all.results.map((b) => b.uid)).toEqual([...all.results.map((b) => b.uid)].sort((a, b) => b - a));
        const first = await side.client.batches.getBatches({ limit: 2 });
        expect(first.results).toHaveLength(2);
        expect(first).toMatchObject({ limit: 2, from: all.results[0]!.uid, next: all.results[2]!.uid, total: all.total });
        const second = await side.client.batches.getBatches({ limit: 2, from: first.next! });
        expect(second.results.map((b) => b.uid)).toEqual(all.results.slice(2, 4).map((b) => b.uid));
        const oldest = await side.client.batches.getBatches({ limit: 1, reverse: true });
        expect(oldest.results[0]!.uid).toBe(all.results.at(-1)!.uid);
        const none = await side.client.batches.getBatches({ limit: 0 });
        expect(none).toMatchObject({ results: [], from: null, next: all.results[0]!.uid });
        return { total: all.total, types: all.results.map((b) => Object.keys(b.stats.types)) };
      }),
    );
    expect(shapes[0]).toEqual(shapes[1]);
  });

  it('filters batches with the task filters, `*` date bounds included', async () => {
    const filters: Array<Parameters<Meilisearch['batches']['getBatches']>[0]> = [
      { statuses: ['failed'] },
      { statuses: ['enqueued'] },
      { types: ['settingsUpdate', 'documentDeletion'] },
      { indexUids: ['books'] },
      { types: ['networkTopologyChange'] },
      { afterEnqueuedAt: '*', beforeFinishedAt: '*' },
      { afterFinishedAt: new Date(Date.now() + 60_000).toISOString() },
      { beforeStartedAt: new Date(Date.now() + 60_000).toISOString(), statuses: ['succeeded'] },
    ];
    for (const filter of filters) {
      const answers = await Promise.all(sides.map(async (s) => (await s.client.batches.getBatches(filter)).results.map((b) => [b.stats.status, b.stats.types])));
      expect([filter, answers[0]]).toEqual([filter, answers[1]]);
    }
    for (const side of sides) {
      const list = tasks.get(side.name)!;
      const byTask = await side.client.batches.getBatches({ uids: [list[2]!.uid] });
      expect(byTask.results.map((b) => b.uid)).toEqual([list[2]!.batchUid]);
      const byUid = await side.client.batches.getBatches({ batchUids: [list[3]!.batchUid!] });
      expect(byUid.results.map((b) => b.uid)).toEqual([list[3]!.batchUid]);
      const tasksOfBatch = await side.client.tasks.getTasks({ batchUids: [list[3]!.batchUid!] });
      expect(tasksOfBatch.results.map((t) => t.uid)).toEqual([list[3]!.uid]);
    }
  });

  it('accepts `*` in task date filters and the networkTopologyChange type on GET /tasks', async () => {
    const paths = [
      '/tasks?beforeEnqueuedAt=*&afterStartedAt=*&afterFinishedAt=*&limit=0',
      '/tasks?types=networkTopologyChange',
      '/tasks?types=*,networkTopologyChange&limit=0',
      '/tasks?afterEnqueuedAt=*,*',
      '/tasks?types=foo',
      '/tasks?statuses=*,foo',
      '/tasks?uids=1,abc',
      '/tasks?batchUids=x',
      '/tasks?indexUids=bad%20name',
      '/tasks?limit=99999999999',
    ];
    for (const path of paths) {
      const [mine, theirs] = await Promise.all(sides.map(async (s) => json(await s.request(path))));
      if (mine!.status === 200) {
        const strip = (b: unknown) => ({ ...(b as Record<string, unknown>), results: undefined, from: undefined, next: undefined });
        expect([path, mine!.status, strip(mine!.body)]).toEqual([path, theirs!.status, strip(theirs!.body)]);
      } else {
        expect([path, mine]).toEqual([path, theirs]);
      }
    }
  });

  it('answers the batch routes errors as Meilisearch', async () => {
    for (const path of ['/batches/4242', '/batches/abc', '/batches/-1', '/batches?foo=1', '/batches?limit=abc', '/batches?uids=abc', '/batches?batchUids=x', '/batches?afterEnqueuedAt=bad']) {
      const [mine, theirs] = await Promise.all(sides.map(async (s) => json(await s.request(path))));
      expect([path, mine]).toEqual([path, theirs]);
    }
  });

  it('shows an index-restricted key only the batches of its indexes', async () => {
    for (const side of sides) {
      const key = (await side.client.getKey(KEY_UID)).key;
      const asKey = (path: string) => side.request(path, { headers: { authorization: `Bearer ${key}` } });
      const list = (await json(await asKey('/batches'))).body as { results: Batch[]; total: number };
      expect(list.results.length).toBeGreaterThan(0);
      for (const b of list.results) expect(Object.keys(b.stats.indexUids)).toEqual(['books']);
      const movies = tasks.get(side.name)![0]!;
      expect(await json(await asKey(`/batches/${movies.batchUid}`))).toMatchObject({ status: 404, body: { code: 'batch_not_found' } });
      if (side.name === 'miroir') expect(list.total).toBe(list.results.length);
    }
  });
});
