// Acceptance 1 of issue 5 (and the document write routes around it): documents written through
// Miroir with the official SDK land on exactly RG×RF nodes each, tagged with their shard.
import type { Meilisearch } from 'meilisearch';
import { startTestCluster, type TestCluster } from '../../support/cluster';
import { copiesById, nodeDocuments, shardOf, type Doc } from './node-state';

jest.setTimeout(240_000);

const corpus = (n: number, from = 0): Doc[] =>
  Array.from({ length: n }, (_, i) => ({ id: from + i, title: `document ${from + i}`, colour: ['red', 'green', 'blue'][i % 3] }));

async function expectEachFoundById(client: Meilisearch, uid: string, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 50) {
    const found = await Promise.all(ids.slice(i, i + 50).map((id) => client.index(uid).getDocument(id)));
    found.forEach((d, j) => expect(d.id).toBe(ids[i + j]));
  }
}

async function expectRoundTrip(cluster: TestCluster, uid: string, copies: number): Promise<void> {
  const client = cluster.client();
  const docs = corpus(1000);
  const task = await client.index(uid).addDocuments(docs).waitTask({ timeout: 60_000 });
  expect(Number.isInteger(task.uid)).toBe(true);
  expect(task).toMatchObject({ status: 'succeeded', type: 'documentAdditionOrUpdate', indexUid: uid, error: null });
  expect(task.details).toMatchObject({ receivedDocuments: 1000, indexedDocuments: 1000 });

  const { copies: byId, perNode } = await copiesById(cluster, uid);
  expect(byId.size).toBe(1000);
  for (const n of byId.values()) expect(n).toBe(copies);
  for (const n of perNode) {
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(1000);
  }
  // Every stored copy carries its shard, as the routing computed it.
  for (let i = 0; i < cluster.nodes.length; i++) {
    for (const d of await nodeDocuments(cluster, i, uid)) expect(d._miroir_shard).toBe(shardOf(d.id as number));
  }
  await expectEachFoundById(client, uid, docs.map((d) => d.id as number));
}

describe('write path, 3 nodes, RG=1 RF=2', () => {
  let cluster: TestCluster;
  let client: Meilisearch;

  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 3, replicationFactor: 2 });
    client = cluster.client();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('indexes 1,000 documents on exactly RG×RF nodes each, every node a strict subset', async () => {
    await expectRoundTrip(cluster, 'movies', 2);
  });

  it('infers the primary key as Meilisearch does, and rejects a batch it cannot infer one for', async () => {
    const task = await client.index('products').addDocuments([{ productId: 'p-1', name: 'one' }]).waitTask();
    expect(task.status).toBe('succeeded');
    expect((await client.index('products').getRawInfo()).primaryKey).toBe('productId');

    const res = await cluster.request('/indexes/nokey/documents', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ name: 'no key here' }]),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'index_primary_key_no_candidate_found', type: 'invalid_request' });
  });

  it('accepts NDJSON and typed CSV, and PUT merges fields into existing documents', async () => {
    const ndjson = '{"id": "a", "title": "first"}\n{"id": "b", "title": "second"}\n';
    expect((await client.index('formats').addDocumentsFromString(ndjson, 'application/x-ndjson', { primaryKey: 'id' }).waitTask()).status).toBe('succeeded');
    const csv = 'id,title,price:number,available:boolean\nc,third,12.5,true\nd,fourth,,false\n';
    const csvTask = await client.index('formats').addDocumentsFromString(csv, 'text/csv').waitTask();
    expect(csvTask).toMatchObject({ status: 'succeeded', details: { receivedDocuments: 2, indexedDocuments: 2 } });
    expect((await client.index('formats').updateDocuments([{ id: 'a', extra: true }]).waitTask()).status).toBe('succeeded');

    const all = new Map<string, Doc>();
    for (let i = 0; i < cluster.nodes.length; i++) for (const d of await nodeDocuments(cluster, i, 'formats')) all.set(String(d.id), d);
    expect(all.get('a')).toMatchObject({ title: 'first', extra: true });
    expect(all.get('c')).toMatchObject({ title: 'third', price: 12.5, available: true });
    expect(all.get('d')).toMatchObject({ price: null, available: false });
  });

  it('deletes by id, by id batch, by filter and all, on every replica', async () => {
    const uid = 'deletions';
    await client.index(uid).addDocuments(corpus(60), { primaryKey: 'id' }).waitTask();
    // Filterable attributes are set on the nodes directly: settings are another area's routes.
    await Promise.all(cluster.nodes.map((_, i) => cluster.nodeClient(i).index(uid).updateFilterableAttributes(['colour', '_miroir_shard']).waitTask()));

    const one = await client.index(uid).deleteDocument(0).waitTask();
    expect(one).toMatchObject({ status: 'succeeded', type: 'documentDeletion', details: { providedIds: 1, deletedDocuments: 1 } });
    const batch = await client.index(uid).deleteDocuments([1, '2', 3, 'not-there'] as unknown as string[]).waitTask();
    expect(batch).toMatchObject({ status: 'succeeded', details: { providedIds: 4, deletedDocuments: 3 } });
    let { copies } = await copiesById(cluster, uid);
    expect(copies.size).toBe(56);
    for (const id of ['0', '1', '2', '3']) expect(copies.has(id)).toBe(false);

    const byFilter = await client.index(uid).deleteDocuments({ filter: 'colour = red' }).waitTask();
    expect(byFilter).toMatchObject({ status: 'succeeded', details: { originalFilter: '"colour = red"', deletedDocuments: 18 } });
    ({ copies } = await copiesById(cluster, uid));
    expect(copies.size).toBe(38);
    for (const n of copies.values()) expect(n).toBe(2);

    const bad = await client.index(uid).deleteDocuments({ filter: 'title = x' }).waitTask();
    expect(bad.status).toBe('failed');
    expect(bad.error?.code).toBe('invalid_document_filter');

    const all = await client.index(uid).deleteAllDocuments().waitTask();
    expect(all).toMatchObject({ status: 'succeeded', details: { deletedDocuments: 38 } });
    ({ copies } = await copiesById(cluster, uid));
    expect(copies.size).toBe(0);
  });
});

describe('write path, 4 nodes, RG=2 RF=1', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 4, groups: 2, replicationFactor: 1 });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('indexes 1,000 documents on exactly RG×RF nodes each, every node a strict subset', async () => {
    await expectRoundTrip(cluster, 'movies', 2);
    // One copy per group: the two groups each hold the whole corpus.
    for (const g of [0, 1]) {
      let held = 0;
      for (let i = 0; i < cluster.nodes.length; i++) if (cluster.nodes[i]!.group === g) held += (await nodeDocuments(cluster, i, 'movies')).length;
      expect(held).toBe(1000);
    }
  });
});
