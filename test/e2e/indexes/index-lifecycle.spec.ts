// Index lifecycle, keys and version through the official SDK, as on Meilisearch (issue 5), with
// the cluster-side guarantees: every node holds the index (and `_miroir_shard` filterable), a
// deletion removes it everywhere, and a create that cannot reach every node is rolled back.
import { createHmac } from 'node:crypto';
import { MeilisearchApiError, type Meilisearch } from 'meilisearch';
import { startTestCluster, type TestCluster } from '../../support/cluster';

// Workflow ids (index:create:{uid}) are per Temporal namespace, shared by every cluster of the run.
const run = Date.now().toString(36);
const uid = (name: string): string => `${name}_${run}`;

async function nodeHasIndex(cluster: TestCluster, i: number, index: string): Promise<boolean> {
  const res = await fetch(`${cluster.nodes[i]!.url}/indexes/${index}`, { headers: { authorization: `Bearer ${cluster.nodeMasterKey}` } });
  return res.status === 200;
}

describe('index lifecycle through Miroir (3 nodes, RF=2)', () => {
  let cluster: TestCluster;
  let client: Meilisearch;

  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 3, replicationFactor: 2, shards: 8 });
    client = cluster.client();
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('creates, gets, lists, updates and deletes an index as Meilisearch does', async () => {
    const books = uid('books');
    const created = await client.createIndex(books, { primaryKey: 'isbn' }).waitTask({ timeout: 60_000 });
    expect(created).toMatchObject({ status: 'succeeded', type: 'indexCreation', indexUid: books, details: { primaryKey: 'isbn' } });
    expect(typeof created.uid).toBe('number');

    const info = await client.getRawIndex(books);
    expect(info).toMatchObject({ uid: books, primaryKey: 'isbn' });
    expect(Number.isNaN(Date.parse(info.createdAt as unknown as string))).toBe(false);
    const list = await client.getRawIndexes({ limit: 100 });
    expect(list.results.map((r) => r.uid)).toContain(books);
    expect(list).toMatchObject({ offset: 0, limit: 100 });

    for (let i = 0; i < cluster.nodes.length; i++) {
      expect(await nodeHasIndex(cluster, i, books)).toBe(true);
      expect(await cluster.nodeClient(i).index(books).getFilterableAttributes()).toEqual(['_miroir_shard']);
    }

    const again = await client.createIndex(books).waitTask({ timeout: 60_000 });
    expect(again.status).toBe('failed');
    expect(again.error?.code).toBe('index_already_exists');

    const updated = await client.updateIndex(books, { primaryKey: 'id' }).waitTask({ timeout: 60_000 });
    expect(updated.status).toBe('succeeded');
    expect((await client.getRawIndex(books)).primaryKey).toBe('id');
    expect((await cluster.nodeClient(0).getRawIndex(books)).primaryKey).toBe('id');

    const deleted = await client.deleteIndex(books).waitTask({ timeout: 60_000 });
    expect(deleted).toMatchObject({ status: 'succeeded', type: 'indexDeletion' });
    await expect(client.getRawIndex(books)).rejects.toMatchObject({ cause: { code: 'index_not_found' } });
    for (let i = 0; i < cluster.nodes.length; i++) expect(await nodeHasIndex(cluster, i, books)).toBe(false);
  });

  it('creates an index implicitly on the first document write, on every node', async () => {
    const implicit = uid('implicit');
    const task = await client.index(implicit).addDocuments([{ id: 1, title: 'first' }]).waitTask({ timeout: 60_000 });
    expect(task.status).toBe('succeeded');
    expect((await client.getRawIndex(implicit)).primaryKey).toBe('id');
    for (let i = 0; i < cluster.nodes.length; i++) {
      expect(await cluster.nodeClient(i).index(implicit).getFilterableAttributes()).toEqual(['_miroir_shard']);
    }
  });

  it('answers Meilisearch errors for unknown and invalid indexes', async () => {
    await expect(client.getRawIndex(uid('missing'))).rejects.toMatchObject({ cause: { code: 'index_not_found' } });
    const del = await client.deleteIndex(uid('missing')).waitTask({ timeout: 60_000 });
    expect(del.status).toBe('failed');
    expect(del.error?.code).toBe('index_not_found');
    const bad = client.createIndex('not a valid uid!');
    await expect(bad).rejects.toBeInstanceOf(MeilisearchApiError);
    await expect(bad).rejects.toMatchObject({ cause: { code: 'invalid_index_uid' } });
    const res = await cluster.request('/indexes', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"uid": 12' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('bad_request');
  });

  it('keeps keys in Miroir, never on the nodes, and serves /version', async () => {
    const key = await client.createKey({ description: 'search only', actions: ['search'], indexes: ['*'], expiresAt: null });
    expect(key.actions).toEqual(['search']);
    // Meilisearch's derivation: the hex HMAC-SHA256 of the uid under the (client) master key.
    expect(key.key).toBe(createHmac('sha256', cluster.masterKey).update(key.uid).digest('hex'));
    for (let i = 0; i < cluster.nodes.length; i++) {
      await expect(cluster.nodeClient(i).getKey(key.uid)).rejects.toMatchObject({ cause: { code: 'api_key_not_found' } });
    }
    expect((await client.getKeys({ limit: 100 })).results.map((k) => k.uid)).toContain(key.uid);
    const renamed = await client.updateKey(key.uid, { name: 'renamed' });
    expect(renamed.name).toBe('renamed');
    expect((await client.getKey(key.key)).name).toBe('renamed');
    await client.deleteKey(key.key);
    await expect(client.getKey(key.uid)).rejects.toMatchObject({ cause: { code: 'api_key_not_found' } });
    const version = await client.getVersion();
    expect(typeof version.pkgVersion).toBe('string');
  });

  it('rolls a partial create back when a node is down for good', async () => {
    const orphan = uid('orphan');
    await cluster.nodes[2]!.kill9();
    try {
      const task = await client.createIndex(orphan, { primaryKey: 'id' }).waitTask({ timeout: 90_000 });
      expect(task.status).toBe('failed');
      expect(task.error?.code).toBe('miroir_index_creation_failed');
      for (const i of [0, 1]) expect(await nodeHasIndex(cluster, i, orphan)).toBe(false);
      await expect(client.getRawIndex(orphan)).rejects.toMatchObject({ cause: { code: 'index_not_found' } });
    } finally {
      await cluster.nodes[2]!.restart();
    }
    expect(await nodeHasIndex(cluster, 2, orphan)).toBe(false);
    // With every node back, the same uid can be created.
    const retry = await client.createIndex(orphan, { primaryKey: 'id' }).waitTask({ timeout: 60_000 });
    expect(retry.status).toBe('succeeded');
  }, 120_000);
});
