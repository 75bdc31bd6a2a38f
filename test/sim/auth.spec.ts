// Conformance: API keys (/keys) and their enforcement — missing/wrong key, actions, index patterns.
import { apiError, startSim, type SimHandle } from './support/sim-node';
import type { Meilisearch as MeiliClient } from 'meilisearch';

const MASTER = 'auth-master-key-0123456789abcdef';
let sim: SimHandle;
let admin: MeiliClient;

beforeAll(async () => {
  sim = await startSim({ masterKey: MASTER });
  admin = sim.client();
  await admin.index('movies').addDocuments([{ id: 1, title: 'Carol' }]).waitTask();
  await admin.index('books').addDocuments([{ id: 1, title: 'Dune' }]).waitTask();
});
afterAll(async () => {
  await sim?.dispose();
});

it('requires a key: missing → 401 missing_authorization_header, wrong → 403 invalid_api_key', async () => {
  const anonymous = sim.client('');
  expect(await apiError(anonymous.getIndexes())).toMatchObject({ status: 401, code: 'missing_authorization_header', type: 'auth' });
  const wrong = sim.client('not-a-key');
  const e = await apiError(wrong.index('movies').search('x'));
  expect(e).toMatchObject({ status: 403, code: 'invalid_api_key', message: 'The provided API key is invalid.' });
  expect(e.message).not.toContain(MASTER);
});

it('has the two default keys, derived from the master key', async () => {
  const keys = await admin.getKeys();
  const names = keys.results.map((k) => k.name).sort();
  expect(names).toEqual(['Default Admin API Key', 'Default Search API Key']);
  for (const k of keys.results) expect(k.key).toMatch(/^[0-9a-f]{64}$/);
  const search = keys.results.find((k) => k.name === 'Default Search API Key')!;
  const searcher = sim.client(search.key);
  expect((await searcher.index('movies').search('carol')).hits).toHaveLength(1);
  expect(await apiError(searcher.index('movies').addDocuments([{ id: 2 }]))).toMatchObject({ status: 403, code: 'invalid_api_key' });
});

it('creates, gets (by uid and key), updates and deletes keys; enforces actions and index patterns', async () => {
  const created = await admin.createKey({
    name: 'docs-writer',
    description: 'movies* writer',
    actions: ['documents.*', 'search'],
    indexes: ['mov*'],
    expiresAt: null,
  });
  expect(created.key).toMatch(/^[0-9a-f]{64}$/);
  expect(created.actions).toEqual(['documents.*', 'search']);
  expect((await admin.getKey(created.uid)).name).toBe('docs-writer');
  expect((await admin.getKey(created.key)).uid).toBe(created.uid);

  const scoped = sim.client(created.key);
  const t = await scoped.index('movies').addDocuments([{ id: 2, title: 'Moana' }]);
  expect(t.taskUid).toEqual(expect.any(Number));
  expect((await scoped.index('movies').getDocuments()).total).toBeGreaterThanOrEqual(1);
  expect(await apiError(scoped.index('books').search('dune'))).toMatchObject({ status: 403, code: 'invalid_api_key' });
  expect(await apiError(scoped.index('movies').getSettings())).toMatchObject({ status: 403, code: 'invalid_api_key' });
  expect(await apiError(scoped.getKeys())).toMatchObject({ status: 403, code: 'invalid_api_key' });

  const updated = await admin.updateKey(created.uid, { name: 'renamed' });
  expect(updated.name).toBe('renamed');
  const immutable = await apiError(admin.updateKey(created.uid, { actions: ['*'] } as never));
  expect(immutable.code).toBe('immutable_api_key_actions');

  await admin.deleteKey(created.uid);
  expect(await apiError(admin.getKey(created.uid))).toMatchObject({ status: 404, code: 'api_key_not_found' });
  expect(await apiError(scoped.index('movies').search('x'))).toMatchObject({ status: 403, code: 'invalid_api_key' });
});

it('validates key creation', async () => {
  expect((await apiError(admin.createKey({ indexes: ['*'], expiresAt: null } as never))).code).toBe('missing_api_key_actions');
  expect((await apiError(admin.createKey({ actions: ['fly'], indexes: ['*'], expiresAt: null } as never))).code).toBe('invalid_api_key_actions');
  expect((await apiError(admin.createKey({ actions: ['search'], indexes: ['*'], expiresAt: '2001-01-01' } as never))).code).toBe('invalid_api_key_expires_at');
});

it('filters /indexes and /tasks by the key\'s index patterns', async () => {
  const k = await admin.createKey({ actions: ['indexes.get', 'tasks.get'], indexes: ['books'], expiresAt: null });
  const c = sim.client(k.key);
  expect((await c.getIndexes()).results.map((i) => i.uid)).toEqual(['books']);
  const tasks = await c.tasks.getTasks();
  expect(tasks.results.every((t) => t.indexUid === 'books')).toBe(true);
});
