import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestCluster, type TestCluster } from '../../support/cluster';
import { waitFor } from '../../support/wait-for';

// docs/design.md#authentication-and-api-keys as a client sees it: missing and wrong keys are refused in Meilisearch's shape before
// any node is touched; an API key created through Miroir's /keys works against Miroir the way it
// works against Meilisearch (actions and index patterns); the admin API takes only the admin key;
// and no key ever reaches a log file.
jest.setTimeout(180_000);

const meiliShape = (code: string, type = 'auth') => ({
  message: expect.any(String),
  code,
  type,
  link: `https://docs.meilisearch.com/errors#${code}`,
});

describe('auth', () => {
  let cluster: TestCluster;
  let searchKey: string;
  let searchKeyUid: string;

  /** Requests each node received apart from health checks and task polling. */
  async function nodeTraffic(): Promise<Record<string, number>> {
    const seen: Record<string, number> = {};
    for (const node of cluster.nodes) {
      const res = await fetch(`${node.url}/_sim/requests`);
      const body = (await res.json()) as { routes: Record<string, number> };
      for (const [route, n] of Object.entries(body.routes)) {
        // Background work, not the request under test: health checks and the task reconciler
        // polling node tasks of earlier writes. (Keys are Miroir's: no node is asked about them.)
        if (route === 'GET /health' || route.startsWith('GET /tasks')) continue;
        seen[`${node.id} ${route}`] = n;
      }
    }
    return seen;
  }

  async function resetNodeTraffic(): Promise<void> {
    await Promise.all(cluster.nodes.map((n) => fetch(`${n.url}/_sim/requests`, { method: 'DELETE' })));
  }

  beforeAll(async () => {
    // Dev nodes: the test counts the requests each node received (/_sim/requests), which only they report.
    cluster = await startTestCluster({ nodes: 3, replicationFactor: 2, shards: 8, faults: true });
    // Through Miroir's /keys: the key lives in Miroir's database, no node ever holds it.
    const created = await cluster.client().createKey({ name: 'movies search', actions: ['search'], indexes: ['movies*'], expiresAt: null });
    searchKey = created.key;
    searchKeyUid = created.uid;
    for (let i = 0; i < cluster.nodes.length; i++) {
      await expect(cluster.nodeClient(i).getKey(searchKeyUid)).rejects.toMatchObject({ cause: { code: 'api_key_not_found' } });
    }

    const admin = cluster.client();
    await admin.createIndex('movies', { primaryKey: 'id' });
    await admin.createIndex('books', { primaryKey: 'id' });
    for (const uid of ['movies', 'books']) {
      await waitFor(`index ${uid}`, async () => ((await cluster.request(`/indexes/${uid}`)).status === 200 ? true : undefined));
    }
    await admin.index('movies').addDocuments([
      { id: 1, title: 'Carol' },
      { id: 2, title: 'Wonder Woman' },
    ]);
    await waitFor('the movies to be searchable', async () => ((await admin.index('movies').search('')).estimatedTotalHits === 2 ? true : undefined));
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  describe('client routes', () => {
    it('answers 401 missing_authorization_header without a key, 403 invalid_api_key with a wrong one, and no node receives the request', async () => {
      const before = await cluster.nodeClient(0).index('movies').getStats();
      await resetNodeTraffic();

      const missing = await fetch(`${cluster.url}/indexes/movies/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"q":"carol"}' });
      expect(missing.status).toBe(401);
      expect(await missing.json()).toEqual(meiliShape('missing_authorization_header'));

      // Meilisearch only understands the Bearer scheme: anything else counts as no header.
      const basic = await cluster.request('/indexes/movies/search', { method: 'POST', headers: { authorization: 'Basic Zm9vOmJhcg==', 'content-type': 'application/json' }, body: '{}' });
      expect(basic.status).toBe(401);
      expect(await basic.json()).toEqual(meiliShape('missing_authorization_header'));

      const wrong = await cluster.request('/indexes/movies/documents', {
        method: 'POST',
        headers: { authorization: 'Bearer not-a-key', 'content-type': 'application/json' },
        body: JSON.stringify([{ id: 3, title: 'Heat' }]),
      });
      expect(wrong.status).toBe(403);
      expect(await wrong.json()).toEqual({ ...meiliShape('invalid_api_key'), message: 'The provided API key is invalid.' });

      const empty = await cluster.request('/indexes/movies/search', { method: 'POST', headers: { authorization: 'Bearer ', 'content-type': 'application/json' }, body: '{}' });
      expect(empty.status).toBe(403);

      // The official SDK surfaces the same errors.
      await expect(cluster.client('wrong-key').index('movies').search('carol')).rejects.toMatchObject({ cause: { code: 'invalid_api_key' } });

      expect(await nodeTraffic()).toEqual({});
      expect((await cluster.nodeClient(0).index('movies').getStats()).numberOfDocuments).toBe(before.numberOfDocuments);
    });

    it('lets a search-only key on movies* search movies, and refuses writes and other indexes with 403 invalid_api_key', async () => {
      const client = cluster.client(searchKey);
      const hits = await client.index('movies').search('carol');
      expect(hits.hits.map((h) => h.id)).toEqual([1]);

      const get = await cluster.request('/indexes/movies/search?q=wonder', { headers: { authorization: `Bearer ${searchKey}` } });
      expect(get.status).toBe(200);

      await resetNodeTraffic();
      const write = await cluster.request('/indexes/movies/documents', {
        method: 'POST',
        headers: { authorization: `Bearer ${searchKey}`, 'content-type': 'application/json' },
        body: JSON.stringify([{ id: 9, title: 'Heat' }]),
      });
      expect(write.status).toBe(403);
      expect(await write.json()).toEqual({ ...meiliShape('invalid_api_key'), message: 'The provided API key is invalid.' });

      const other = await cluster.request('/indexes/books/search', {
        method: 'POST',
        headers: { authorization: `Bearer ${searchKey}`, 'content-type': 'application/json' },
        body: '{"q":"x"}',
      });
      expect(other.status).toBe(403);
      expect(await other.json()).toEqual({
        ...meiliShape('invalid_api_key'),
        message: 'The API key cannot acces the index `books`, authorized indexes are ["movies*"].',
      });

      const settings = await cluster.request('/indexes/movies/settings', { headers: { authorization: `Bearer ${searchKey}` } });
      expect(settings.status).toBe(403);

      // multi-search: every query's index must be allowed; refused as Meilisearch 1.50 words it.
      const multi = await cluster.request('/multi-search', {
        method: 'POST',
        headers: { authorization: `Bearer ${searchKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ queries: [{ indexUid: 'movies', q: 'carol' }, { indexUid: 'books', q: 'x' }] }),
      });
      expect(multi.status).toBe(403);
      expect(await multi.json()).toEqual({ ...meiliShape('invalid_api_key'), message: 'Inside `.queries[1]`: The provided API key is invalid.' });
      expect(await nodeTraffic()).toEqual({});

      const allowed = await client.multiSearch({ queries: [{ indexUid: 'movies', q: 'wonder' }] });
      expect(allowed.results[0]!.hits.map((h) => h.id)).toEqual([2]);
    });

    it('shows an index-restricted key only its indexes in GET /indexes, /tasks and /stats', async () => {
      const { key } = await cluster.client().createKey({ actions: ['indexes.get', 'tasks.get', 'stats.get'], indexes: ['movies*'], expiresAt: null });
      const client = cluster.client(key);
      const indexes = await client.getIndexes();
      expect(indexes.results.map((i) => i.uid)).toEqual(['movies']);
      expect(indexes.total).toBe(1);
      const tasks = await client.tasks.getTasks();
      expect(tasks.results.length).toBeGreaterThan(0);
      expect(new Set(tasks.results.map((t) => t.indexUid))).toEqual(new Set(['movies']));
      // Counted and paged in the query, not trimmed afterwards: `total` and a one-task page are exact.
      const moviesTasks = await cluster.client().tasks.getTasks({ indexUids: ['movies'] });
      expect(moviesTasks.total).toBeGreaterThan(1);
      expect(tasks.total).toBe(moviesTasks.total);
      const page = await client.tasks.getTasks({ limit: 1 });
      expect(page.results.map((t) => t.uid)).toEqual([moviesTasks.results[0]!.uid]);
      expect(page.next).toBe(moviesTasks.results[1]!.uid);
      // Another index's task does not exist for this key; its own do.
      const booksTask = (await cluster.client().tasks.getTasks({ indexUids: ['books'], limit: 1 })).results[0]!;
      await expect(client.tasks.getTask(booksTask.uid)).rejects.toMatchObject({ cause: { code: 'task_not_found' } });
      expect((await client.tasks.getTask(moviesTasks.results[0]!.uid)).indexUid).toBe('movies');
      const stats = await client.getStats();
      expect(Object.keys(stats.indexes)).toEqual(['movies']);
      // And nothing about `books` by name either.
      await expect(client.index('books').getRawInfo()).rejects.toMatchObject({ cause: { code: 'invalid_api_key' } });
    });

    it('stops accepting a key as soon as it is deleted through /keys', async () => {
      const { key, uid } = await cluster.client().createKey({ actions: ['*'], indexes: ['*'], expiresAt: null });
      expect((await cluster.client(key).index('movies').search('carol')).hits).toHaveLength(1);
      await cluster.client().deleteKey(uid);
      await expect(cluster.client(key).index('movies').search('carol')).rejects.toMatchObject({ cause: { code: 'invalid_api_key' } });
    });

    it('ignores keys created on the nodes directly: client keys belong to Miroir alone', async () => {
      const uid = randomUUID();
      const nodeKey = await cluster.nodeClient(0).createKey({ uid, actions: ['search'], indexes: ['*'], expiresAt: null });
      const res = await cluster.request('/indexes/books/search', { method: 'POST', headers: { authorization: `Bearer ${nodeKey.key}`, 'content-type': 'application/json' }, body: '{}' });
      expect(res.status).toBe(403);
      await expect(cluster.client().getKey(uid)).rejects.toMatchObject({ cause: { code: 'api_key_not_found' } });
      await cluster.nodeClient(0).deleteKey(uid);
    });

    it('refuses an expired key', async () => {
      const expiresAt = new Date(Date.now() + 1_500);
      const { key } = await cluster.client().createKey({ actions: ['*'], indexes: ['*'], expiresAt });
      expect((await cluster.client(key).index('movies').search('')).hits).toHaveLength(2);
      await new Promise((r) => setTimeout(r, Math.max(0, expiresAt.getTime() - Date.now() + 100)));
      await expect(cluster.client(key).index('movies').search('')).rejects.toMatchObject({ cause: { code: 'invalid_api_key' } });
    });

    it('does not accept the admin key, a key uid or the node master key as client keys', async () => {
      for (const token of [cluster.adminKey, searchKeyUid, cluster.nodeMasterKey]) {
        const res = await cluster.request('/indexes/movies/search', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
        expect(res.status).toBe(403);
      }
    });

    it('keeps /health open, as Meilisearch does', async () => {
      const res = await fetch(`${cluster.url}/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'available' });
    });
  });

  describe('admin API', () => {
    it('refuses no key, the master key and API keys with 401 miroir_invalid_auth', async () => {
      const attempts: Array<Record<string, string>> = [
        {},
        { authorization: `Bearer ${cluster.masterKey}` },
        { authorization: `Bearer ${searchKey}` },
        { 'x-admin-key': cluster.masterKey },
        { 'x-admin-key': `${cluster.adminKey}x` },
      ];
      for (const headers of attempts) {
        const res = await fetch(`${cluster.url}/_miroir/topology`, { headers });
        expect(res.status).toBe(401);
        expect(await res.json()).toEqual(meiliShape('miroir_invalid_auth'));
      }
      const metrics = await fetch(`${cluster.url}/_miroir/metrics`, { headers: { authorization: `Bearer ${cluster.masterKey}` } });
      expect(metrics.status).toBe(401);
    });

    it('accepts the admin key in X-Admin-Key or as a bearer token', async () => {
      const ways: Array<Record<string, string>> = [{ 'x-admin-key': cluster.adminKey }, { authorization: `Bearer ${cluster.adminKey}` }];
      for (const headers of ways) {
        const res = await fetch(`${cluster.url}/_miroir/topology`, { headers });
        expect(res.status).toBe(200);
        expect(((await res.json()) as { nodes: unknown[] }).nodes).toHaveLength(3);
      }
    });
  });

  describe('logs', () => {
    it('never writes a key to the logs', async () => {
      // Drive a few more refusals so that error paths have had a chance to log.
      await cluster.request('/_miroir/topology', { headers: { 'x-admin-key': cluster.masterKey } });
      await cluster.request(`/keys/${searchKey}`);
      // Miroir's own processes (the dev nodes' logs are the nodes' business).
      const files = readdirSync(cluster.logDir).filter((f) => f === 'api.log' || f === 'worker.log');
      expect(files).toContain('api.log');
      for (const file of files) {
        const text = readFileSync(join(cluster.logDir, file), 'utf8');
        for (const secret of [cluster.masterKey, cluster.adminKey, cluster.nodeMasterKey, searchKey]) {
          expect({ file, leaked: text.includes(secret) }).toEqual({ file, leaked: false });
        }
      }
    });
  });
});
