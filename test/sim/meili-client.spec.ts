// @miroir/meili against real dev nodes (test/meili-sim processes): every typed method, error
// mapping, transport failures (kill -9, injected latency, dropped connections), secrets and
// connection reuse. Needs the build (dist/test/meili-sim/main.js).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { startDevNode, type DevNode } from '@miroir/embedded/dev-node';
import { freePort } from '@miroir/embedded/ports';
import {
  NodeClient,
  NodeClients,
  NodeHttpError,
  NodeUnavailableError,
  UnknownNodeError,
  SETTINGS_SUB_ROUTES,
  type EnqueuedTask,
  type NodeClientOptions,
  type UnavailableReason,
} from '@miroir/meili';

const MASTER = 'meili-client-master-key-0123456789abcdef';

let dir: string;
let keyed: DevNode; // master key + fault injection
let open: DevNode; // no key, killed and restarted by the transport tests
let client: NodeClient;
const clients: NodeClient[] = [];

function newClient(node: DevNode, opts: NodeClientOptions = {}, id = 'n1'): NodeClient {
  const c = new NodeClient({ id, address: node.url }, opts);
  clients.push(c);
  return c;
}

async function startNode(name: string, opts: { masterKey?: string; faults?: boolean }): Promise<DevNode> {
  const port = await freePort();
  return startDevNode({ httpAddr: `127.0.0.1:${port}`, dbPath: join(dir, name), ...opts });
}

async function setFaults(faults: { latencyMs?: number; errorRate?: number; refuseConnections?: boolean }): Promise<void> {
  const res = await client.request('PUT', '/_sim/faults', { json: faults });
  expect(res.status).toBe(200);
}

async function done(p: Promise<EnqueuedTask>, c: NodeClient = client): Promise<void> {
  const task = await c.waitForTask((await p).taskUid, { timeoutMs: 20_000 });
  expect(task.error).toBeNull();
  expect(task.status).toBe('succeeded');
}

async function unavailable(p: Promise<unknown>): Promise<NodeUnavailableError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof NodeUnavailableError) return err;
    throw err;
  }
  throw new Error('expected NodeUnavailableError');
}

async function httpError(p: Promise<unknown>): Promise<NodeHttpError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof NodeHttpError) return err;
    throw err;
  }
  throw new Error('expected NodeHttpError');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'meili-client-test-'));
  [keyed, open] = await Promise.all([startNode('keyed', { masterKey: MASTER, faults: true }), startNode('open', {})]);
  client = newClient(keyed, { masterKey: MASTER, timeoutMs: 5_000 });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.destroy()));
  await Promise.all([keyed?.stop(), open?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('instance routes', () => {
  it('health, version and global stats', async () => {
    expect(await client.health()).toEqual({ status: 'available' });
    const v = await client.version();
    expect(typeof v.pkgVersion).toBe('string');
    const s = await client.globalStats();
    expect(typeof s.databaseSize).toBe('number');
    expect(typeof s.indexes).toBe('object');
  });
});

describe('indexes', () => {
  it('creates, gets, lists, updates and deletes', async () => {
    const enq = await client.createIndex('ix_a', 'id');
    expect(enq).toMatchObject({ indexUid: 'ix_a', status: 'enqueued', type: 'indexCreation' });
    expect(typeof enq.taskUid).toBe('number');
    expect(typeof enq.enqueuedAt).toBe('string');
    expect((await client.waitForTask(enq.taskUid)).status).toBe('succeeded');
    await done(client.createIndex('ix_b'));
    await done(client.createIndex('ix_c'));

    expect(await client.getIndex('ix_a')).toMatchObject({ uid: 'ix_a', primaryKey: 'id' });
    const page = await client.listIndexes({ offset: 1, limit: 1 });
    expect(page).toMatchObject({ offset: 1, limit: 1 });
    expect(page.results).toHaveLength(1);
    expect(page.total).toBeGreaterThanOrEqual(3);

    await done(client.updateIndex('ix_b', { primaryKey: 'sku' }));
    expect((await client.getIndex('ix_b')).primaryKey).toBe('sku');

    await done(client.deleteIndex('ix_c'));
    const e = await httpError(client.getIndex('ix_c'));
    expect(e.status).toBe(404);
    expect(e.code).toBe('index_not_found');
  });

  it('returns a failed task (not an exception) from waitForTask', async () => {
    const t = await client.waitForTask((await client.createIndex('ix_a')).taskUid);
    expect(t.status).toBe('failed');
    expect(t.error?.code).toBe('index_already_exists');
  });
});

describe('documents', () => {
  const uid = 'docs';
  beforeAll(async () => {
    await done(client.createIndex(uid, 'id'));
    await done(client.updateSettings(uid, { filterableAttributes: ['genre', 'year'], sortableAttributes: ['year'] }));
  });

  it('adds JSON and NDJSON bodies byte for byte, replaces (POST) and updates (PUT)', async () => {
    const json = Buffer.from(JSON.stringify([
      { id: 1, title: 'Dune', genre: 'scifi', year: 1965 },
      { id: 2, title: 'Emma', genre: 'classic', year: 1815 },
    ]));
    const enq = await client.addDocuments(uid, json, { contentType: 'application/json', replace: true });
    expect(enq).toMatchObject({ indexUid: uid, type: 'documentAdditionOrUpdate' });
    await done(Promise.resolve(enq));
    const ndjson = '{"id":3,"title":"Neuromancer","genre":"scifi","year":1984}\n{"id":"4","title":"Persuasion","genre":"classic","year":1817}\n';
    await done(client.addDocuments(uid, ndjson, { contentType: 'application/x-ndjson', replace: true }));
    // PUT merges fields, POST replaces the whole document.
    await done(client.addDocuments(uid, '[{"id":1,"rating":5}]', { contentType: 'application/json', replace: false }));
    expect(await client.getDocument(uid, 1)).toEqual({ id: 1, title: 'Dune', genre: 'scifi', year: 1965, rating: 5 });
    await done(client.addDocuments(uid, '[{"id":2,"title":"Emma","genre":"classic","year":1815}]', { contentType: 'application/json', replace: true }));
    expect(await client.getDocument(uid, 2, { fields: ['title', 'year'] })).toEqual({ title: 'Emma', year: 1815 });
    expect(await client.getDocument(uid, '4', { fields: ['title'] })).toEqual({ title: 'Persuasion' });
  });

  it('sets the primary key on the first write with ?primaryKey=', async () => {
    await done(client.addDocuments('pk_later', '[{"sku":"a-1","n":1}]', { contentType: 'application/json', primaryKey: 'sku', replace: true }));
    expect((await client.getIndex('pk_later')).primaryKey).toBe('sku');
  });

  it('fetches pages with a filter on a filterable field, fields, offset and limit', async () => {
    const page = await client.getDocuments<{ id: number; title: string }>(uid, { filter: 'genre = scifi', fields: ['id', 'title'], limit: 10 });
    expect(page.total).toBe(2);
    expect(page.results.map((d) => d.title).sort()).toEqual(['Dune', 'Neuromancer']);
    expect(Object.keys(page.results[0]!).sort()).toEqual(['id', 'title']);
    const arrayForm = await client.getDocuments(uid, { filter: [['year < 1900'], 'genre = classic'] });
    expect(arrayForm.total).toBe(2);
    const p2 = await client.getDocuments(uid, { offset: 1, limit: 2 });
    expect(p2).toMatchObject({ offset: 1, limit: 2, total: 4 });
    expect(p2.results).toHaveLength(2);
    const bad = await httpError(client.getDocuments(uid, { filter: 'rating = 5' }));
    expect(bad.status).toBe(400);
    expect(bad.code).toBe('invalid_document_filter');
  });

  it('searches, multi-searches and federates', async () => {
    const res = await client.search(uid, { q: 'dune', showRankingScore: true });
    expect(res.hits.map((h) => h.id)).toEqual([1]);
    expect(res.hits[0]!._rankingScore).toBeGreaterThan(0);
    expect(res.query).toBe('dune');
    expect(typeof res.processingTimeMs).toBe('number');
    const sorted = await client.search<{ year: number }>(uid, { q: '', filter: 'year > 1800', sort: ['year:asc'], facets: ['genre'] });
    expect(sorted.hits.map((h) => h.year)).toEqual([1815, 1817, 1965, 1984]);
    expect(sorted.facetDistribution).toEqual({ genre: { classic: 2, scifi: 2 } });

    const multi = await client.multiSearch([
      { indexUid: uid, q: 'emma' },
      { indexUid: uid, q: 'neuromancer' },
    ]);
    expect(multi.results.map((r) => [r.indexUid, r.hits.map((h) => h.id)])).toEqual([
      [uid, [2]],
      [uid, [3]],
    ]);
    const fed = await client.federatedSearch([{ indexUid: uid, q: 'emma' }, { indexUid: uid, q: 'dune' }], { limit: 5 });
    expect(fed.hits.map((h) => h.id).sort()).toEqual([1, 2]);
  });

  it('reports per-index stats', async () => {
    const s = await client.stats(uid);
    expect(s.numberOfDocuments).toBe(4);
    expect(s.isIndexing).toBe(false);
    expect(s.fieldDistribution).toMatchObject({ id: 4, title: 4, genre: 4 });
  });

  it('deletes by id, by id batch, by filter and all', async () => {
    await done(client.deleteDocument(uid, 1));
    await done(client.deleteDocumentsBatch(uid, [2, '3']));
    expect((await client.getDocuments(uid)).results.map((d) => d.id)).toEqual(['4']);
    await done(client.addDocuments(uid, '[{"id":5,"genre":"scifi"},{"id":6,"genre":"poetry"}]', { contentType: 'application/json', replace: true }));
    await done(client.deleteDocumentsByFilter(uid, 'genre = scifi'));
    expect((await client.getDocuments(uid)).results.map((d) => String(d.id)).sort()).toEqual(['4', '6']);
    await done(client.deleteAllDocuments(uid));
    expect((await client.stats(uid)).numberOfDocuments).toBe(0);
    const missing = await httpError(client.getDocument(uid, 99));
    expect(missing).toMatchObject({ status: 404, code: 'document_not_found' });
  });
});

describe('settings', () => {
  const uid = 'settings_ix';
  beforeAll(() => done(client.createIndex(uid, 'id')));

  it('reads, patches and resets the whole settings object', async () => {
    const before = await client.getSettings(uid);
    expect(before.filterableAttributes).toEqual([]);
    await done(client.updateSettings(uid, { filterableAttributes: ['a'], stopWords: ['the'] }));
    expect(await client.getSettings(uid)).toMatchObject({ filterableAttributes: ['a'], stopWords: ['the'] });
    await done(client.resetSettings(uid));
    expect(await client.getSettings(uid)).toEqual(before);
  });

  it('drives every sub-route with its own verb', async () => {
    for (const r of SETTINGS_SUB_ROUTES) {
      const value = await client.settingsSubRoute('GET', uid, r.route);
      expect(value).toEqual((await client.getSettings(uid))[r.name]);
    }
    await done(client.settingsSubRoute<EnqueuedTask>('PUT', uid, 'sortable-attributes', ['year']));
    expect(await client.settingsSubRoute('GET', uid, 'sortable-attributes')).toEqual(['year']);
    await done(client.settingsSubRoute<EnqueuedTask>('PATCH', uid, 'typo-tolerance', { enabled: false }));
    expect(await client.settingsSubRoute('GET', uid, 'typo-tolerance')).toMatchObject({ enabled: false });
    await done(client.settingsSubRoute<EnqueuedTask>('DELETE', uid, 'typo-tolerance'));
    expect(await client.settingsSubRoute('GET', uid, 'typo-tolerance')).toMatchObject({ enabled: true });
    // null resets through PUT too.
    await done(client.settingsSubRoute<EnqueuedTask>('PUT', uid, 'sortable-attributes', null));
    expect(await client.settingsSubRoute('GET', uid, 'sortable-attributes')).toEqual([]);
    const bad = await httpError(client.settingsSubRoute('PUT', uid, 'sortable-attributes', 'not-an-array'));
    expect(bad.status).toBe(400);
    expect(bad.code).toBe('invalid_settings_sortable_attributes');
  });
});

describe('tasks', () => {
  it('gets one task and lists with filters and cursor pagination', async () => {
    const enq = await client.createIndex('tasks_ix');
    const t = await client.waitForTask(enq.taskUid, { intervalMs: 5 });
    expect(t).toMatchObject({ uid: enq.taskUid, indexUid: 'tasks_ix', type: 'indexCreation', status: 'succeeded', error: null });
    expect(typeof t.finishedAt).toBe('string');
    expect(await client.getTask(enq.taskUid)).toEqual(t);

    const list = await client.getTasks({ indexUids: ['tasks_ix', 'docs'], statuses: ['succeeded'], types: ['indexCreation'], limit: 10 });
    expect(list.results.map((r) => r.indexUid).sort()).toEqual(['docs', 'tasks_ix']);
    expect(list.total).toBe(2);
    const first = await client.getTasks({ limit: 2 });
    expect(first.results).toHaveLength(2);
    expect(first.next).not.toBeNull();
    const next = await client.getTasks({ limit: 2, from: first.next! });
    expect(next.results[0]!.uid).toBe(first.next);
    const byUid = await client.getTasks({ uids: [enq.taskUid] });
    expect(byUid.results.map((r) => r.uid)).toEqual([enq.taskUid]);
    const missing = await httpError(client.getTask(999_999));
    expect(missing).toMatchObject({ status: 404, code: 'task_not_found' });
  });
});

describe('errors on a path that carries a key', () => {
  // Miroir never manages keys on nodes (they are Miroir's, in Postgres), but an error about a
  // `/keys/{key}` path must still never carry the key.
  it('keeps the key of /keys/{key} out of the error, while the node message stays available', async () => {
    const created = await client.call<{ key: string; uid: string }>('POST', '/keys', { json: { actions: ['search'], indexes: ['docs'], expiresAt: null } });
    await client.call('DELETE', `/keys/${created.uid}`);
    const gone = await httpError(client.call('GET', `/keys/${created.key}`));
    expect(gone.status).toBe(404);
    expect(gone.code).toBe('api_key_not_found');
    for (const text of [gone.message, String(gone.stack), inspect(gone), JSON.stringify(gone)]) expect(text).not.toContain(created.key);
    expect(gone.path).toBe('/keys/***');
    expect(gone.toMeiliError().message).toBe(`API key \`${created.key}\` not found.`);
  });
});

describe('HTTP errors', () => {
  it('request() returns 4xx answers with Meilisearch error objects instead of throwing', async () => {
    const res = await client.request<{ code: string; type: string; message: string; link: string }>('GET', '/indexes/nope');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'index_not_found', type: 'invalid_request', message: 'Index `nope` not found.' });
    expect(res.headers['content-type']).toContain('application/json');
  });

  it('typed methods throw NodeHttpError with the node error object', async () => {
    const e = await httpError(client.getIndex('nope'));
    expect(e).toMatchObject({ nodeId: 'n1', status: 404, code: 'index_not_found', type: 'invalid_request', method: 'GET', path: '/indexes/nope' });
    expect(e.link).toContain('index_not_found');
    expect(e.toMeiliError()).toEqual({ message: 'Index `nope` not found.', code: 'index_not_found', type: 'invalid_request', link: e.link });
    const malformed = await client.request('POST', '/indexes/docs/search', { body: '{"q": ', contentType: 'application/json' });
    expect(malformed.status).toBe(400);
    expect((malformed.body as { code: string }).code).toBe('malformed_payload');
  });

  it('returns raw bytes with responseType buffer', async () => {
    const res = await client.request<Buffer>('GET', '/health', { responseType: 'buffer' });
    expect(Buffer.isBuffer(res.body)).toBe(true);
    expect(JSON.parse(res.body.toString('utf8'))).toEqual({ status: 'available' });
  });

  it('a wrong key gets 403 invalid_api_key and no key appears anywhere', async () => {
    const wrongKey = 'wrong-key-that-must-never-leak-0000';
    const wrong = newClient(keyed, { masterKey: wrongKey }, 'wrong-node');
    const e = await httpError(wrong.listIndexes());
    expect(e).toMatchObject({ status: 403, code: 'invalid_api_key', nodeId: 'wrong-node' });
    const noKey = await httpError(newClient(keyed).listIndexes());
    expect(noKey).toMatchObject({ status: 401, code: 'missing_authorization_header' });
    for (const text of [e.message, String(e.stack), String(e), inspect(e), JSON.stringify(e), inspect(wrong), String(wrong), JSON.stringify(wrong), inspect(client), JSON.stringify(client)]) {
      expect(text).not.toContain(wrongKey);
      expect(text).not.toContain(MASTER);
    }
    // Transport errors too.
    const closed = newClient(keyed, { masterKey: wrongKey });
    await closed.close();
    const t = await unavailable(closed.health());
    expect(t.reason).toBe('closed');
    expect(`${t.message} ${String(t.stack)} ${inspect(t)}`).not.toContain(wrongKey);
  });
});

describe('transport failures', () => {
  afterEach(() => setFaults({}));

  it('maps latency above the deadline to reason timeout (client default and per call)', async () => {
    await setFaults({ latencyMs: 600 });
    const short = newClient(keyed, { masterKey: MASTER, timeoutMs: 150 });
    const started = Date.now();
    const e = await unavailable(short.health());
    expect(Date.now() - started).toBeLessThan(550);
    expect(e).toMatchObject({ reason: 'timeout' satisfies UnavailableReason, nodeId: 'n1', method: 'GET', path: '/health' });
    const perCall = await unavailable(client.listIndexes({}, { timeoutMs: 100 }));
    expect(perCall.reason).toBe('timeout');
    // A longer per-call deadline than the client's default wins.
    expect(await short.health({ timeoutMs: 3_000 })).toEqual({ status: 'available' });
  });

  it("maps the caller's AbortSignal to reason aborted", async () => {
    await setFaults({ latencyMs: 400 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const e = await unavailable(client.health({ signal: ac.signal }));
    expect(e.reason).toBe('aborted');
    const pre = await unavailable(client.health({ signal: AbortSignal.abort() }));
    expect(pre.reason).toBe('aborted');
  });

  it('maps a connection dropped without an answer to reason reset', async () => {
    await setFaults({ refuseConnections: true });
    const e = await unavailable(client.createIndex('never'));
    expect(e.reason).toBe('reset');
    const get = await unavailable(client.listIndexes());
    expect(get.reason).toBe('reset');
  });

  it('maps a killed node to reason refused, and recovers after a restart', async () => {
    const c = newClient(open, {}, 'victim');
    expect(await c.health()).toEqual({ status: 'available' });
    await open.kill9();
    const e = await unavailable(c.health());
    expect(e.reason).toBe('refused');
    expect(e.causeCode).toBe('ECONNREFUSED');
    expect(e.nodeId).toBe('victim');
    const fresh = await unavailable(newClient(open).version());
    expect(fresh.reason).toBe('refused');
    await open.restart();
    expect(await c.health()).toEqual({ status: 'available' });
  });

  it('maps an unresolvable host to reason dns', async () => {
    const c = new NodeClient({ id: 'ghost', address: 'http://no-such-host.invalid:7700' }, { timeoutMs: 5_000 });
    clients.push(c);
    const e = await unavailable(c.health());
    expect(e.reason).toBe('dns');
  });
});

describe('connection reuse', () => {
  it('200 sequential requests (2xx and 4xx) reuse their sockets', async () => {
    const c = newClient(keyed, { masterKey: MASTER });
    const counts = new Set<number>();
    for (let i = 0; i < 100; i++) {
      expect((await c.request('GET', '/health')).status).toBe(200);
      counts.add(c.poolStats().connected);
    }
    for (let i = 0; i < 100; i++) {
      expect((await c.getIndex('nope').catch((e: unknown) => e))).toBeInstanceOf(NodeHttpError);
      counts.add(c.poolStats().connected);
    }
    // undici may open a second socket when the next request is dispatched in the same tick the
    // previous body ends; what matters is that the count stays bounded (bodies are consumed, no
    // socket is leaked per request, error answers included).
    expect(Math.max(...counts)).toBeLessThanOrEqual(2);
    expect(c.poolStats()).toMatchObject({ running: 0, pending: 0, queued: 0 });
  });

  it('parallel requests stay within the connection limit', async () => {
    const c = newClient(keyed, { masterKey: MASTER, connections: 4 });
    const all = await Promise.all(Array.from({ length: 200 }, () => c.search('docs', { q: '' })));
    expect(all).toHaveLength(200);
    const s = c.poolStats();
    expect(s.connected).toBeLessThanOrEqual(4);
    expect(s.running + s.pending).toBe(0);
  });
});

describe('NodeClients', () => {
  it('syncs with the topology: adds, replaces on address change, removes and closes', async () => {
    const reg = new NodeClients([{ id: 'a', address: keyed.url }], { masterKey: MASTER });
    const a = reg.get('a');
    expect(await a.health()).toEqual({ status: 'available' });
    expect(() => reg.get('zz')).toThrow(UnknownNodeError);
    expect(() => reg.get('zz')).toThrow('Unknown Meilisearch node "zz"');

    await reg.sync([{ id: 'a', address: keyed.url.replace('http://', '') }, { id: 'b', address: open.url }]);
    expect(reg.get('a')).toBe(a); // same origin: pool kept
    expect(reg.ids().sort()).toEqual(['a', 'b']);
    const b = reg.get('b');

    await reg.sync([{ id: 'a', address: keyed.url }, { id: 'b', address: keyed.url }]);
    expect(reg.get('b')).not.toBe(b); // address changed: new client, old pool closed
    expect(b.closed).toBe(true);
    expect(await reg.get('b').health()).toEqual({ status: 'available' });

    await reg.sync([{ id: 'b', address: keyed.url }]);
    expect(reg.has('a')).toBe(false);
    expect(a.closed).toBe(true);
    expect((await unavailable(a.health())).reason).toBe('closed');
    expect(() => reg.sync([{ id: 'x', address: keyed.url }, { id: 'x', address: open.url }])).toThrow('Duplicate node id');
    expect(reg.ids()).toEqual(['b']); // a rejected list changes nothing

    const last = reg.get('b');
    await reg.close();
    expect(reg.size).toBe(0);
    expect(last.closed).toBe(true);
  });
});
