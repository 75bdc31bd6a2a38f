// Issue 14, through Miroir next to one Meilisearch node: `customMetadata` of document writes kept on
// the task and echoed in the 202 (and ignored where Meilisearch 1.50 ignores it), and
// GET /tasks/{uid}/documents (experimental `getTaskDocumentsRoute`): the documents of a pending
// addition, read back from its node tasks.
import type { EnqueuedTask, EnqueuedTaskPromise, Index, Task } from 'meilisearch';
import { TASK_WAIT } from '../../support/client';
import { holdTasks, json, startPair, type Pair, type Side } from './reference';

jest.setTimeout(300_000);

type Doc = Record<string, unknown>;

describe('customMetadata and task documents, compared with one Meilisearch node', () => {
  let pair: Pair;
  let sides: Side[];
  /** Sides that keep customMetadata: the dev node does not (Miroir keeps it itself, nodes never see it). */
  let metaSides: Side[];

  beforeAll(async () => {
    pair = await startPair();
    sides = [pair.miroir, pair.reference];
    metaSides = pair.sim ? [pair.miroir] : sides;
    for (const side of sides) {
      await side.client.createIndex('movies', { primaryKey: 'id' }).waitTask(TASK_WAIT);
      await side.client.index('movies').updateSettings({ filterableAttributes: ['id'] }).waitTask(TASK_WAIT);
      await side.client.index('movies').addDocuments([{ id: 0 }]).waitTask(TASK_WAIT);
    }
  });
  afterAll(async () => {
    await pair?.stop();
  });

  it('keeps customMetadata of every document write on its task, and echoes it in the 202', async () => {
    const writes: Array<[string, (i: Index<Doc>) => EnqueuedTaskPromise]> = [
      ['add', (i) => i.addDocuments([{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }], { customMetadata: 'import-1' })],
      ['update, empty', (i) => i.updateDocuments([{ id: 1, title: 'x' }], { customMetadata: '' })],
      ['delete one', (i) => i.deleteDocument(1, { customMetadata: 'one' })],
      ['delete batch', (i) => i.deleteDocuments([2], { customMetadata: 'batch' })],
      ['delete by filter', (i) => i.deleteDocuments({ filter: 'id = 3' }, { customMetadata: 'filter €' })],
      ['delete all', (i) => i.deleteAllDocuments({ customMetadata: 'all' })],
      ['none', (i) => i.addDocuments([{ id: 9 }])],
    ];
    const seen = await Promise.all(
      metaSides.map(async (side) => {
        const out: Array<{ summary: Omit<EnqueuedTask, 'taskUid' | 'enqueuedAt'> & { customMetadata?: string }; task: Partial<Task> }> = [];
        for (const [, write] of writes) {
          const { taskUid, enqueuedAt: _e, ...summary } = await write(side.client.index<Doc>('movies'));
          const task = await side.client.tasks.waitForTask(taskUid, TASK_WAIT);
          expect(Object.keys(task).at(-1)).toBe('customMetadata' in summary ? 'customMetadata' : 'finishedAt');
          out.push({ summary, task: { type: task.type, status: task.status, details: task.details, customMetadata: task.customMetadata } });
        }
        return out;
      }),
    );
    expect(seen[0]!.map((s) => s.summary.customMetadata)).toEqual(['import-1', '', 'one', 'batch', 'filter €', 'all', undefined]);
    if (seen.length > 1) expect(seen[0]).toEqual(seen[1]);
    // Repeated, the last value wins (as Meilisearch reads it).
    for (const side of metaSides) {
      const res = await side.request('/indexes/movies/documents?customMetadata=a&customMetadata=b', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[{"id":5}]' });
      expect(((await res.json()) as { customMetadata?: string }).customMetadata).toBe('b');
    }
  });

  it('ignores customMetadata on settings and index routes, as Meilisearch 1.50 does', async () => {
    const calls: Array<[string, string, string]> = [
      ['PATCH', '/indexes/movies/settings?customMetadata=s', '{"sortableAttributes":["id"]}'],
      ['POST', '/indexes?customMetadata=c', '{"uid":"other","primaryKey":"id"}'],
      ['DELETE', '/indexes/other?customMetadata=d', ''],
    ];
    for (const side of metaSides) {
      for (const [method, path, body] of calls) {
        const res = await side.request(path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body || undefined });
        const summary = (await res.json()) as EnqueuedTask & { customMetadata?: string };
        expect([path, res.status, summary.customMetadata]).toEqual([path, 202, undefined]);
        expect((await side.client.tasks.waitForTask(summary.taskUid, TASK_WAIT)).customMetadata).toBeUndefined();
      }
    }
  });

  it('refuses parameters other than customMetadata on the deletion routes, as Meilisearch', async () => {
    const calls: Array<[string, string, string]> = [
      ['DELETE', '/indexes/movies/documents/1?foo=bar', ''],
      ['POST', '/indexes/movies/documents/delete-batch?foo=1', '[1]'],
      ['POST', '/indexes/movies/documents/delete?primaryKey=id', '{"filter":"id = 1"}'],
      ['DELETE', '/indexes/movies/documents?foo=1', ''],
    ];
    for (const [method, path, body] of calls) {
      const answers = await Promise.all(
        metaSides.map(async (s) => json(await s.request(path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body || undefined }))),
      );
      if (answers.length > 1) expect([path, answers[0]]).toEqual([path, answers[1]]);
      expect(answers[0]).toMatchObject({ status: 400, body: { code: 'bad_request', message: expect.stringMatching(/^Unknown parameter `\w+`: expected one of `customMetadata`$/) } });
    }
  });

  it('serves GET /tasks/{uid}/documents only with the experimental feature on, as Meilisearch', async () => {
    for (const path of ['/tasks/0/documents', '/tasks/999999/documents', '/tasks/abc/documents']) {
      const answers = await Promise.all(sides.map(async (s) => json(await s.request(path))));
      expect([path, answers[0]]).toEqual([path, answers[1]]);
      expect(answers[0]).toMatchObject({ status: 400, body: { code: 'feature_not_enabled' } });
    }
    for (const side of sides) expect((await side.client.updateExperimentalFeatures({ getTaskDocumentsRoute: true })).getTaskDocumentsRoute).toBe(true);
    // A settings task, a finished addition, an unknown task and a bad uid: the same answers.
    const answers = await Promise.all(
      sides.map(async (s) => {
        const settings = (await s.client.tasks.getTasks({ types: ['settingsUpdate'], limit: 1 })).results[0]!.uid;
        const addition = (await s.client.tasks.getTasks({ types: ['documentAdditionOrUpdate'], statuses: ['succeeded'], limit: 1 })).results[0]!.uid;
        return Promise.all(
          [settings, addition, 999999, 'abc'].map(async (uid) => {
            const { status, body } = await json(await s.request(`/tasks/${uid}/documents`));
            const b = body as { message: string; code: string };
            return { status, body: { ...b, message: b.message.replace(/`\d+`/, '`N`') } };
          }),
        );
      }),
    );
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]!.map((a) => [a.status, a.body.code])).toEqual([
      [404, 'task_file_not_found'],
      [404, 'task_file_not_found'],
      [404, 'task_not_found'],
      [400, 'invalid_task_uids'],
    ]);
  });

  it('gives the documents of a pending addition, one copy of each, as Meilisearch writes them', async () => {
    const docs: Doc[] = Array.from({ length: 40 }, (_, i) => ({ id: 100 + i, title: `Doc ${i}`, tags: ['a', `t${i % 3}`], nested: { n: i, f: i / 4 } }));
    const answers = [];
    for (const side of sides) {
      await side.client.updateExperimentalFeatures({ getTaskDocumentsRoute: true });
      const hold = await holdTasks(side, pair.sim, 'movies');
      const pending = await side.client.index('movies').addDocuments(docs);
      const res = await side.request(`/tasks/${pending.taskUid}/documents`);
      const text = await res.text();
      const viaClient = await side.client.tasks.getTaskDocuments(pending.taskUid);
      await hold.release();
      expect([side.name, res.status, res.headers.get('content-type')]).toEqual([side.name, 200, 'application/x-ndjson']);
      // A JSON payload comes back as its documents one after the other, with no separator.
      expect(text.startsWith('{') && text.endsWith('}') && !text.includes('\n')).toBe(true);
      const lines = JSON.parse(`[${text.replace(/\}\{"id"/g, '},{"id"')}]`) as Doc[];
      const byId = (a: Doc, b: Doc) => Number(a.id) - Number(b.id);
      expect([...lines].sort(byId)).toEqual(docs);
      expect([...viaClient].sort(byId)).toEqual(docs);
      answers.push(lines.sort(byId));
      await side.client.tasks.waitForTask(pending.taskUid, TASK_WAIT);
      const done = await json(await side.request(`/tasks/${pending.taskUid}/documents`));
      expect(done).toMatchObject({ status: 404, body: { code: 'task_file_not_found' } });
    }
    expect(answers[0]).toEqual(answers[1]);
  });
});
