// Issue 14, acceptance 1: API keys are Miroir's, in Postgres. A key created through Miroir keeps
// working and listed across node changes (a node added, another drained and removed) and a
// restart of every Miroir process; GET /keys answers the same list every time; the default keys
// are created once and never change; a key deleted through one API process stops working on
// another within a second; bad bodies get the errors one Meilisearch 1.50 node gives.
import { createHmac, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Key, Meilisearch } from 'meilisearch';
import { freePort } from '@miroir/embedded';
import type { DevNode } from '@miroir/embedded/dev-node';
import { meiliClient } from '../../support/client';
import { startTestCluster, type TestCluster } from '../../support/cluster';
import { startTestNode } from '../../support/node';
import { meilisearchBin, testDir, uniqueSuffix } from '../../support/stack';
import { waitFor } from '../../support/wait-for';

jest.setTimeout(900_000);

type Refusal = { status: number; message?: string; code?: string; type?: string; link?: string };

/** The error a client call ends with: HTTP status and Meilisearch's error object. */
async function refusal(p: Promise<unknown>): Promise<Refusal> {
  try {
    await p;
  } catch (err) {
    const e = err as { name?: string; response?: { status: number }; cause?: Omit<Refusal, 'status'> };
    if (e.name !== 'MeilisearchApiError') throw err;
    const { message, code, type, link } = e.cause ?? {};
    return { status: e.response?.status ?? 0, message, code, type, link };
  }
  throw new Error('expected the call to fail');
}

/** What two deployments can share of a key: everything but its uid, value and timestamps. */
const portable = (k: Key) => ({ name: k.name, description: k.description, actions: k.actions, indexes: k.indexes, expiresAt: k.expiresAt });

const DEFAULT_NAMES = ['Default Search API Key', 'Default Admin API Key', 'Default Read-Only Admin API Key', 'Default Chat API Key'];

describe('API keys owned by Miroir', () => {
  let cluster: TestCluster;
  let miroir: Meilisearch;
  let single: DevNode;
  let node: Meilisearch;
  let singleKey: string;

  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 3, replicationFactor: 2, shards: 8, env: { MIROIR_REBALANCE__GRACE_MS: '3000' } });
    miroir = cluster.client();
    singleKey = `single-${uniqueSuffix()}-0123456789`;
    single = await startTestNode({ httpAddr: `127.0.0.1:${await freePort()}`, dbPath: join(testDir(), `keys-single-${uniqueSuffix()}`), masterKey: singleKey });
    node = meiliClient(single.url, singleKey);
  });
  afterAll(async () => {
    await cluster?.stop();
    await single?.stop();
  });

  /** The same call on Miroir and on the single Meilisearch node. */
  async function both<T>(fn: (c: Meilisearch) => Promise<T>): Promise<[T, T]> {
    return [await fn(miroir), await fn(node)];
  }

  it('creates the default keys of Meilisearch 1.50, with values derived from the master key', async () => {
    const ours = await miroir.getKeys();
    expect(ours.results.map((k) => k.name)).toEqual(DEFAULT_NAMES);
    expect(ours.results.map((k) => k.actions)).toEqual([['search'], ['*'], ['*.get', 'keys.get'], ['chatCompletions', 'search']]);
    if (meilisearchBin() !== undefined) {
      // Names, descriptions, actions, indexes, expiry, order and paging: the binary's, exactly.
      const theirs = await node.getKeys();
      expect(ours.results.map(portable)).toEqual(theirs.results.map(portable));
      expect({ ...ours, results: [] }).toEqual({ ...theirs, results: [] });
    }
    for (const k of ours.results) expect(k.key).toBe(createHmac('sha256', cluster.masterKey).update(k.uid).digest('hex'));
    // The nodes hold their own defaults, which Miroir neither shows nor accepts.
    const nodeDefault = (await cluster.nodeClient(0).getKeys()).results[0]!;
    expect((await cluster.request('/version', { headers: { authorization: `Bearer ${nodeDefault.key}` } })).status).toBe(403);
  });

  describe('as one Meilisearch 1.50 node answers', () => {
    // Only the real binary is the reference; the dev node stands in for it elsewhere, not here.
    const real = meilisearchBin() !== undefined;
    const itReal = real ? it : it.skip;
    const uid = randomUUID();

    itReal('refuses bad bodies of POST /keys with the same errors', async () => {
      const ok = { actions: ['search'], indexes: ['*'], expiresAt: null };
      const bodies: unknown[] = [
        {},
        { actions: ['search'] },
        { actions: ['search'], indexes: ['*'] },
        { ...ok, foo: 1 },
        { foo: 2, name: 1 },
        { name: 1, foo: 2 },
        { ...ok, key: 'x' },
        { ...ok, actions: 'search' },
        { ...ok, actions: null },
        { ...ok, actions: ['search', 1] },
        { ...ok, actions: ['search', 'fly'] },
        { ...ok, indexes: '*' },
        { ...ok, indexes: [1] },
        { ...ok, indexes: ['a b'] },
        { ...ok, indexes: ['*a'] },
        { ...ok, indexes: ['a**'] },
        { ...ok, indexes: [''] },
        { ...ok, indexes: ['é*'] },
        { ...ok, indexes: ['a'.repeat(401)] },
        { ...ok, expiresAt: '2001-01-01' },
        { ...ok, expiresAt: '2020-01-01T00:00:00Z' },
        { ...ok, expiresAt: 'tomorrow' },
        { ...ok, expiresAt: '2030-1-1' },
        { ...ok, expiresAt: '2030-02-30' },
        { ...ok, expiresAt: '2030-01-01T00:00:00+24:00' },
        { ...ok, expiresAt: 12 },
        { ...ok, expiresAt: {} },
        { ...ok, uid: 'abc' },
        { ...ok, uid: 12 },
        { ...ok, uid: null },
        { ...ok, uid: '0000-0000' },
        { ...ok, uid: 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz' },
        { ...ok, uid: '00000000-0000-0000-0000-00000000000' },
        { ...ok, uid: '{0000000g-0000-0000-0000-000000000000}' },
        { ...ok, name: ['a'] },
        { ...ok, description: { a: [1, 2, { b: 'c' }] } },
        { ...ok, name: -3 },
        { ...ok, name: true },
        [],
        'x',
        null,
      ];
      for (const body of bodies) {
        const [ours, theirs] = await both((c) => refusal(c.createKey(body as never)));
        expect({ body, ...ours }).toEqual({ body, ...theirs });
      }
    });

    itReal('refuses a duplicate uid, bad PATCH bodies and unknown keys with the same errors', async () => {
      const body = { uid, name: 'same', description: 'on both', actions: ['search', 'documents.*'], indexes: ['movies*', 'books'], expiresAt: '2099-01-01T00:00:00+02:00' };
      const [created, reference] = await both((c) => c.createKey(body as never));
      expect(portable(created)).toEqual(portable(reference));
      expect(created.uid).toBe(uid);
      const [dup, dupRef] = await both((c) => refusal(c.createKey({ ...body, uid: uid.toUpperCase().replace(/-/g, '') } as never)));
      expect(dup).toEqual(dupRef);
      expect(dup.code).toBe('api_key_already_exists');

      for (const patch of [{ uid: 'x' }, { actions: ['*'] }, { indexes: [] }, { expiresAt: null }, { createdAt: 'x' }, { updatedAt: 'x' }, { key: 'x' }, { name: 1, uid: 'x' }, { description: [] }]) {
        const [ours, theirs] = await both((c) => refusal(c.updateKey(uid, patch as never)));
        expect({ patch, ...ours }).toEqual({ patch, ...theirs });
      }
      const missing = randomUUID();
      for (const call of [
        (c: Meilisearch) => c.getKey('garbage'),
        (c: Meilisearch) => c.getKey(missing),
        (c: Meilisearch) => c.getKey(missing.toUpperCase()),
        (c: Meilisearch) => c.getKey('a'.repeat(64)),
        (c: Meilisearch) => c.updateKey(missing, { name: 'x' }),
        (c: Meilisearch) => c.updateKey('garbage', { foo: 1 } as never),
        (c: Meilisearch) => c.deleteKey(missing),
      ]) {
        const [ours, theirs] = await both((c) => refusal(call(c)));
        expect(ours).toEqual(theirs);
      }
    });

    itReal('finds, updates and pages keys as Meilisearch does', async () => {
      for (const form of [uid.toUpperCase(), uid.replace(/-/g, ''), `{${uid}}`, `urn:uuid:${uid}`]) {
        const [ours, theirs] = await both((c) => c.getKey(form));
        expect(portable(ours)).toEqual(portable(theirs));
      }
      const ours = await miroir.getKey(uid);
      expect((await miroir.getKey(ours.key.toUpperCase())).uid).toBe(uid);
      // Timestamps as Meilisearch prints them: RFC 3339 in UTC, a fraction only when there is one.
      for (const at of [ours.createdAt, ours.updatedAt]) expect(String(at)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?Z$/);
      for (const patch of [{ name: 'renamed' }, { name: null }, {}, { description: 'd', name: 'n' }]) {
        const [a, b] = await both((c) => c.updateKey(uid, patch as never));
        expect(portable(a)).toEqual(portable(b));
      }
      // U+0000 too: Meilisearch keeps it in a name, and so must Postgres.
      for (const name of ['p1', 'p2\u0000', 'p3']) await both((c) => c.createKey({ name, actions: ['search'], indexes: ['*'], expiresAt: null }));
      for (const page of [{}, { offset: 1, limit: 3 }, { offset: 2 }, { limit: 0 }, { offset: 100 }]) {
        const [a, b] = await both((c) => c.getKeys(page));
        expect({ ...a, results: a.results.map(portable) }).toEqual({ ...b, results: b.results.map(portable) });
      }
      for (const query of ['?offset=-1', '?limit=abc', '?foo=1']) {
        const [a, b] = await Promise.all([miroir, node].map(async (c) => {
          const res = await fetch(`${c.config.host}/keys${query}`, { headers: { authorization: `Bearer ${c.config.apiKey}` } });
          return { status: res.status, body: await res.json() };
        }));
        expect(a).toEqual(b);
      }
      const [deleted, deletedRef] = await both((c) => c.deleteKey(uid));
      expect(deleted).toEqual(deletedRef);
    });

    itReal('refuses bodies of the wrong content type, empty or malformed as Meilisearch does', async () => {
      const send = async (c: Meilisearch, headers: Record<string, string>, body: string | undefined) => {
        const res = await fetch(`${c.config.host}/keys`, { method: 'POST', headers: { authorization: `Bearer ${c.config.apiKey}`, ...headers }, body });
        return { status: res.status, body: (await res.json()) as Record<string, string> };
      };
      for (const [headers, body] of [
        [{}, '{}'],
        [{ 'content-type': 'text/plain' }, '{}'],
        [{ 'content-type': 'application/json' }, ''],
        [{ 'content-type': 'application/json; charset=utf-8' }, '{}'],
      ] as const) {
        const [a, b] = await Promise.all([miroir, node].map((c) => send(c, headers, body)));
        expect(a).toEqual(b);
      }
      // Malformed JSON: same code; the detail is serde_json's wording on Meilisearch, JSON.parse's here.
      for (const body of ['{', '{"a":}', ' ']) {
        const [a, b] = await Promise.all([miroir, node].map((c) => send(c, { 'content-type': 'application/json' }, body)));
        expect([a.status, a.body.code]).toEqual([b.status, b.body.code]);
      }
    });
  });

  describe('through node changes, restarts and several API processes', () => {
    const admin = (path: string, init: RequestInit = {}) =>
      fetch(`${cluster.url}${path}`, { ...init, headers: { 'x-admin-key': cluster.adminKey, 'content-type': 'application/json', ...(init.headers ?? {}) } });
    let extra: DevNode | undefined;
    afterAll(async () => {
      await extra?.stop();
    });

    /** Status of a search with `key`, against the API at `base`. */
    const searchStatus = async (key: string, base = cluster.url): Promise<number> =>
      (await fetch(`${base}/indexes/movies/search`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{"q":""}' })).status;

    it('keeps a key working and listed after a node is added, another drained and removed, and every process restarted', async () => {
      await miroir.index('movies').addDocuments([{ id: 1, title: 'Carol' }, { id: 2, title: 'Wonder Woman' }], { primaryKey: 'id' }).waitTask();
      const key = await miroir.createKey({ name: 'survivor', actions: ['search'], indexes: ['movies*'], expiresAt: null });
      expect((await cluster.client(key.key).index('movies').search('carol')).hits).toHaveLength(1);
      const listed = async (): Promise<Key[]> => (await miroir.getKeys({ limit: 1000 })).results;
      const before = await listed();
      expect(before.map((k) => k.uid)).toContain(key.uid);

      extra = await startTestNode({ httpAddr: `127.0.0.1:${await freePort()}`, dbPath: join(testDir(), `keys-extra-${uniqueSuffix()}`), masterKey: cluster.nodeMasterKey });
      expect((await admin('/_miroir/nodes', { method: 'POST', body: JSON.stringify({ id: 'meili-3', address: extra.url, group: 0 }) })).status).toBe(201);
      expect((await admin('/_miroir/nodes/meili-0/drain', { method: 'POST' })).status).toBe(202);
      expect((await admin('/_miroir/rebalance', { method: 'POST', body: JSON.stringify({ requestedBy: 'keys-e2e' }) })).status).toBe(202);
      // Nine minutes: a loaded 2-core machine with real nodes; a quiet run needs well under one.
      const final = await waitFor(
        'the rebalance to finish',
        async () => {
          const s = (await (await admin('/_miroir/rebalance/status')).json()) as { status: string };
          return s.status !== 'RUNNING' ? s : undefined;
        },
        540_000,
        500,
      );
      expect(final).toMatchObject({ status: 'COMPLETED' });
      const topology = (await (await admin('/_miroir/topology')).json()) as { nodes: Array<{ id: string; state: string }> };
      expect(topology.nodes.find((n) => n.id === 'meili-0')?.state).toBe('removed');
      expect(topology.nodes.find((n) => n.id === 'meili-3')?.state).toBe('active');
      await cluster.nodes[0]!.stop();

      expect((await cluster.client(key.key).index('movies').search('carol')).hits).toHaveLength(1);
      const lists = [await listed(), await listed(), await listed()];
      expect(lists[1]).toEqual(lists[0]);
      expect(lists[2]).toEqual(lists[0]);
      expect(lists[0]).toEqual(before);

      await cluster.restartWorker();
      await cluster.restartApi();
      expect((await cluster.client(key.key).index('movies').search('wonder')).hits).toHaveLength(1);
      // Same keys, same values, same timestamps: the defaults included, created once per cluster.
      expect(await listed()).toEqual(before);
      expect((await listed()).filter((k) => DEFAULT_NAMES.includes(k.name ?? ''))).toHaveLength(4);
    });

    it('stops a key deleted through one API process on another within a second', async () => {
      const other = await cluster.startExtraApi();
      const key = await miroir.createKey({ actions: ['search'], indexes: ['*'], expiresAt: null });
      // Created through the first process: the second finds it (notification, or a reload on a miss).
      await waitFor('the key to work on the other process', async () => (await searchStatus(key.key, other.url)) === 200, 5_000, 50);
      // And the key routes there see it at once.
      const seen = (await fetch(`${other.url}/keys/${key.key}`, { headers: { authorization: `Bearer ${cluster.masterKey}` } })).status;
      expect(seen).toBe(200);

      await miroir.deleteKey(key.uid);
      const deletedAt = Date.now();
      await waitFor('the deleted key to be refused by the other process', async () => (await searchStatus(key.key, other.url)) === 403, 1_000, 20);
      expect(Date.now() - deletedAt).toBeLessThan(1_000);
      expect(await searchStatus(key.key)).toBe(403);
      await other.process.stop(10_000);
    });
  });
});
