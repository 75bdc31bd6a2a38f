// Issue 14, the write-side and node-wide parts of API parity: unknown routes, `skipCreation`,
// edit by function and /experimental-features, each compared with one Meilisearch node holding
// the same data (a real Meilisearch when the run has the binary, else the dev node).
import { join } from 'node:path';
import type { Meilisearch } from 'meilisearch';
import { freePort } from '@miroir/embedded';
import type { DevNode } from '@miroir/embedded/dev-node';
import { apiError } from '../../support/api-error';
import { meiliClient, TASK_WAIT } from '../../support/client';
import { startTestCluster, type TestCluster } from '../../support/cluster';
import { startTestNode } from '../../support/node';
import { meilisearchBin, testDir, uniqueSuffix } from '../../support/stack';

/** Cases only a real Meilisearch can answer (edit functions are Rhai scripts: docs/meili-sim.md). */
const itOnMeilisearch = meilisearchBin() ? it : it.skip;

jest.setTimeout(300_000);

type Doc = Record<string, unknown>;

describe('API parity with one Meilisearch node: routes, skipCreation, edit, experimental features', () => {
  let cluster: TestCluster;
  let miroir: Meilisearch;
  let single: DevNode;
  let singleKey: string;
  let node: Meilisearch;

  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 3, replicationFactor: 2, shards: 8 });
    miroir = cluster.client();
    singleKey = `single-${uniqueSuffix()}-0123456789`;
    single = await startTestNode({ httpAddr: `127.0.0.1:${await freePort()}`, dbPath: join(testDir(), `single-${uniqueSuffix()}`), masterKey: singleKey });
    node = meiliClient(single.url, singleKey);
  });
  afterAll(async () => {
    await cluster?.stop();
    await single?.stop();
  });

  /** The same call on Miroir and on the single node. */
  async function both<T>(fn: (c: Meilisearch) => Promise<T>): Promise<[T, T]> {
    return [await fn(miroir), await fn(node)];
  }

  async function sortedDocs(c: Meilisearch, uid: string): Promise<Doc[]> {
    const page = await c.index(uid).getDocuments<Doc>({ limit: 1000 });
    return [...page.results].sort((a, b) => Number(a.id) - Number(b.id));
  }

  describe('unknown paths and methods', () => {
    async function raw(base: string, key: string | undefined, method: string, path: string): Promise<{ status: number; body: string }> {
      const res = await fetch(`${base}${path}`, { method, headers: key ? { authorization: `Bearer ${key}` } : {}, signal: AbortSignal.timeout(30_000) });
      return { status: res.status, body: await res.text() };
    }

    it.each([
      ['GET', '/nope'],
      ['POST', '/indexes/movies/search/extra'],
      ['PUT', '/indexes'],
      ['DELETE', '/health'],
      ['GET', '/indexes/movies/documents/edit'],
      ['PATCH', '/tasks'],
    ])('%s %s answers as Meilisearch does, with an empty body', async (method, path) => {
      const mine = await raw(cluster.url, cluster.masterKey, method, path);
      const theirs = await raw(single.url, singleKey, method, path);
      expect(mine).toEqual(theirs);
      expect(mine.body).toBe('');
      expect([404, 405]).toContain(mine.status);
    });

    it('answers an unknown path before authentication, as Meilisearch does', async () => {
      expect(await raw(cluster.url, undefined, 'GET', '/nope')).toEqual(await raw(single.url, undefined, 'GET', '/nope'));
    });
  });

  describe('bodies of the wrong JSON type', () => {
    const uid = `bodies-${uniqueSuffix()}`;

    beforeAll(async () => {
      await both((c) => c.index(uid).addDocuments([{ id: 1 }], { primaryKey: 'id' }).waitTask(TASK_WAIT));
    });

    it.each([
      ['POST', 'search', '[]'],
      ['POST', 'search', '{"limit":[]}'],
      ['POST', 'search', '{"q":{}}'],
      ['PATCH', 'settings', '[]'],
      ['POST', 'documents/delete', '[]'],
      ['POST', 'documents/delete', '{"filter":{}}'],
      ['POST', 'documents/delete', '{"filter":1}'],
      ['POST', 'documents/fetch', '{"limit":[]}'],
      ['POST', 'documents/delete-batch', '1'],
      ['POST', 'documents/delete-batch', ' "abc"'],
      ['POST', 'documents/delete-batch', '{}'],
      ['POST', 'documents/delete-batch', 'null'],
    ])('%s /indexes/{uid}/%s %s: the same error', async (method, path, body) => {
      const answer = async (host: string, key: string): Promise<unknown> => {
        const res = await fetch(`${host}/indexes/${uid}/${path}`, {
          method,
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(30_000),
        });
        return { status: res.status, body: await res.json() };
      };
      const mine = await answer(cluster.url, cluster.masterKey);
      expect(mine).toEqual(await answer(single.url, singleKey));
      expect(mine).toMatchObject({ status: 400 });
    });
  });

  describe('skipCreation', () => {
    const uid = `skip-${uniqueSuffix()}`;

    it('updates existing documents only, on every shard', async () => {
      const first = Array.from({ length: 20 }, (_, i) => ({ id: i, title: `t${i}` }));
      await both((c) => c.index(uid).addDocuments(first, { primaryKey: 'id' }).waitTask(TASK_WAIT));
      // Half of these exist, half do not: the new ones must not be created.
      const update = Array.from({ length: 20 }, (_, i) => ({ id: i * 2, extra: i }));
      const [a, b] = await both((c) => c.index(uid).updateDocuments(update, { skipCreation: true } as never).waitTask(TASK_WAIT));
      expect(a.status).toBe('succeeded');
      expect(a.status).toBe(b.status);
      const [mine, theirs] = await both((c) => sortedDocs(c, uid));
      expect(mine).toEqual(theirs);
      expect(mine).toHaveLength(20);
      expect(mine.filter((d) => d.extra !== undefined)).toHaveLength(10);
    });

    it('creates the index but no document when the index is new', async () => {
      const fresh = `skip-new-${uniqueSuffix()}`;
      await both((c) => c.index(fresh).addDocuments([{ id: 1, a: 1 }], { skipCreation: true } as never).waitTask(TASK_WAIT));
      const [mine, theirs] = await both(async (c) => ({ docs: await sortedDocs(c, fresh), pk: (await c.index(fresh).getRawInfo()).primaryKey }));
      expect(mine).toEqual(theirs);
      expect(mine.docs).toEqual([]);
    });

    it('refuses a value other than true or false with the same error', async () => {
      const [mine, theirs] = await both((c) => apiError(c.index(uid).addDocuments([{ id: 1 }], { skipCreation: 'maybe' } as never)));
      expect(mine).toEqual(theirs);
      expect(mine.code).toBe('invalid_skip_creation');
    });
  });

  describe('edit by function', () => {
    const uid = `edit-${uniqueSuffix()}`;
    const docs = Array.from({ length: 40 }, (_, i) => ({ id: i, n: i, kind: i % 2 === 0 ? 'even' : 'odd' }));

    beforeAll(async () => {
      await both((c) => c.index(uid).addDocuments(docs, { primaryKey: 'id' }).waitTask(TASK_WAIT));
      await both((c) => c.index(uid).updateFilterableAttributes(['kind', 'n']).waitTask(TASK_WAIT));
      await setFeature(true);
    });

    /** PATCH /experimental-features on Miroir and on the single node. */
    async function setFeature(enabled: boolean): Promise<void> {
      for (const [host, key] of [[cluster.url, cluster.masterKey], [single.url, singleKey]] as const) {
        const res = await fetch(`${host}/experimental-features`, {
          method: 'PATCH',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ editDocumentsByFunction: enabled }),
          signal: AbortSignal.timeout(30_000),
        });
        expect(res.status).toBe(200);
      }
    }

    /** POST …/documents/edit, then the finished task (the JS client's method name varies by version). */
    async function edit(c: Meilisearch, body: unknown, query = ''): Promise<Record<string, unknown>> {
      const host = c === miroir ? cluster.url : single.url;
      const key = c === miroir ? cluster.masterKey : singleKey;
      const res = await fetch(`${host}/indexes/${uid}/documents/edit${query}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const answer = (await res.json()) as Record<string, unknown>;
      if (res.status !== 202) return { status: res.status, ...answer };
      const task = await c.tasks.waitForTask(answer.taskUid as number, TASK_WAIT);
      return { status: task.status, details: task.details, error: task.error, customMetadata: (task as { customMetadata?: unknown }).customMetadata };
    }

    it('is refused while the experimental feature is off, after the body checks, as on Meilisearch', async () => {
      await setFeature(false);
      for (const body of [{ function: 'doc.a = 1' }, { function: 'doc.a = 1', context: [1] }, { function: 'doc.a = 1', filter: 'kind =' }]) {
        const [mine, theirs] = await both((c) => edit(c, body));
        expect(mine).toMatchObject({ status: 400, code: 'feature_not_enabled' });
        expect(mine).toEqual(theirs);
      }
      const [mine, theirs] = await both((c) => edit(c, { function: 2 }));
      expect(mine).toEqual(theirs);
      expect(mine).toMatchObject({ status: 400, code: 'invalid_document_edition_function_filter' });
      await setFeature(true);
    });

    itOnMeilisearch('edits and deletes the documents its filter selects, with the same task details', async () => {
      const body = { function: 'if doc.n % 4 == 0 { doc = () } else { doc.n = doc.n * context.k; doc.edited = true }', filter: 'kind = even', context: { k: 10 } };
      const [mine, theirs] = await both((c) => edit(c, body));
      expect(mine).toEqual(theirs);
      expect(mine.status).toBe('succeeded');
      // Meilisearch's counts, summed over shards and counted once per replica set.
      expect(mine.details).toMatchObject({ editedDocuments: 20, function: body.function, context: body.context });
      const after = await sortedDocs(miroir, uid);
      expect(after).toEqual(await sortedDocs(node, uid));
      expect(after).toHaveLength(30);
      expect(after.filter((d) => d.edited === true)).toHaveLength(10);
    });

    it('takes customMetadata and refuses any other query parameter first, as Meilisearch does', async () => {
      const [refused, theirs] = await both((c) => edit(c, { functio: 'x' }, '?foo=1'));
      expect(refused).toEqual(theirs);
      expect(refused).toMatchObject({ status: 400, code: 'bad_request' });
    });

    itOnMeilisearch('keeps customMetadata on the edit task', async () => {
      const [mine, single] = await both((c) => edit(c, { function: 'doc.m = 1', filter: 'n = 1' }, '?customMetadata=tagged'));
      expect(mine).toEqual(single);
      expect(mine).toMatchObject({ status: 'succeeded', customMetadata: 'tagged' });
    });

    itOnMeilisearch('a failing function fails the task with the node error', async () => {
      const [mine, theirs] = await both((c) => edit(c, { function: 'doc.n = missing_variable' }));
      expect(mine).toEqual(theirs);
      expect(mine.status).toBe('failed');
    });

    // Fields and `function` are checked before the feature, so the dev node answers these too.
    it.each([[{}], [{ function: 1 }], [{ function: 'doc.a = 1', extra: true }]])('refuses %j with the same error', async (body) => {
      const [mine, theirs] = await both((c) => edit(c, body));
      expect(mine).toEqual(theirs);
      expect(mine.status).toBe(400);
    });

    // `context` and `filter` are checked after the feature, where the dev node refuses every edit.
    itOnMeilisearch.each([
      [{ function: 'doc.a = 1', context: [1] }],
      [{ function: 'doc.a = 1', filter: 1 }],
      [{ function: 'doc.a = 1', filter: 'kind =' }],
    ])('refuses %j with the same error', async (body) => {
      const [mine, theirs] = await both((c) => edit(c, body));
      expect(mine).toEqual(theirs);
      expect(mine.status).toBe(400);
    });

    itOnMeilisearch('refuses a function that does not compile with the nodes’ error', async () => {
      const [mine, theirs] = await both((c) => edit(c, { function: 'doc.a = ' }));
      expect(mine).toEqual(theirs);
      expect(mine.status).toBe(400);
    });
  });

  describe('experimental features', () => {
    async function features(host: string, key: string, patch?: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
      const res = await fetch(`${host}/experimental-features`, {
        method: patch ? 'PATCH' : 'GET',
        headers: { authorization: `Bearer ${key}`, ...(patch ? { 'content-type': 'application/json' } : {}) },
        body: patch ? JSON.stringify(patch) : undefined,
        signal: AbortSignal.timeout(30_000),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    }

    it('reads and changes the flags as one node does, on every node', async () => {
      expect(await features(cluster.url, cluster.masterKey)).toEqual(await features(single.url, singleKey));
      const patch = { containsFilter: true };
      const mine = await features(cluster.url, cluster.masterKey, patch);
      expect(mine).toEqual(await features(single.url, singleKey, patch));
      expect(mine.body.containsFilter).toBe(true);
      for (const n of cluster.nodes) {
        expect((await features(n.url, cluster.nodeMasterKey)).body.containsFilter).toBe(true);
      }
    });

    it('refuses an unknown flag with the same error and changes no node', async () => {
      const before = await Promise.all(cluster.nodes.map((n) => features(n.url, cluster.nodeMasterKey)));
      expect(await features(cluster.url, cluster.masterKey, { noSuchFeature: true })).toEqual(await features(single.url, singleKey, { noSuchFeature: true }));
      expect(await Promise.all(cluster.nodes.map((n) => features(n.url, cluster.nodeMasterKey)))).toEqual(before);
    });
  });
});
