import { buildShardTable, shardForKey } from '@miroir/core';
import { startTestCluster, type TestCluster } from '../../support/cluster';
import { productDocs, seedIndex, type ClusterShape } from './seed';

// docs/design.md#read-path unavailable shards, as an SDK user sees it on 3 nodes with RF=2: one node killed → every
// read is complete and carries no degraded header, and the node serves again once restarted; two
// nodes killed → policy `partial` answers the covered shards with X-Miroir-Degraded naming the
// others, policy `error` answers 503 miroir_shard_unavailable.
jest.setTimeout(300_000);

const SHAPE: ClusterShape = { replicationFactor: 2, groups: 1, shards: 32 };
const products = productDocs(100);
const spec = { uid: 'products', primaryKey: 'id', docs: products, filterable: ['id', 'color', 'price'], sortable: ['price'] };
const FAST_HEALTH = { MIROIR_HEALTH__INTERVAL_MS: '300', MIROIR_HEALTH__TIMEOUT_MS: '300' };

interface Answer {
  status: number;
  degraded: string | null;
  body: { hits?: Array<Record<string, unknown>>; estimatedTotalHits?: number; total?: number; numberOfDocuments?: number; code?: string };
}

async function call(cluster: TestCluster, path: string, body?: unknown): Promise<Answer> {
  const res = await cluster.request(path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, degraded: res.headers.get('x-miroir-degraded'), body: (await res.json()) as Answer['body'] };
}

const search = (cluster: TestCluster, body: Record<string, unknown>) => call(cluster, '/indexes/products/search', body);

/** Shards whose every replica is on one of `down`. */
function lostShards(cluster: TestCluster, down: readonly string[]): number[] {
  const table = buildShardTable(
    {
      version: 1,
      replicationFactor: SHAPE.replicationFactor,
      groups: 1,
      nodes: cluster.nodes.map((n) => ({ id: n.id, address: n.url, group: n.group, state: 'active' as const })),
    },
    SHAPE.shards,
  );
  return [...Array(SHAPE.shards).keys()].filter((s) => table.owners(0, s).every((n) => down.includes(n)));
}

async function searchesServedBy(node: { url: string }): Promise<number> {
  const res = await fetch(`${node.url}/_sim/requests`);
  const body = (await res.json()) as { routes: Record<string, number> };
  return body.routes['POST /indexes/:indexUid/search'] ?? 0;
}

describe('RF=2, policy partial', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    // Dev nodes: the test reads which node was asked from its request counts (/_sim/requests).
    cluster = await startTestCluster({ nodes: 3, replicationFactor: 2, shards: SHAPE.shards, faults: true, unavailableShards: 'partial', env: FAST_HEALTH });
    await seedIndex(cluster, { ...SHAPE }, spec);
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  test('one node killed: every read is complete, without a degraded header; restarted, it serves again', async () => {
    await cluster.nodes[0]!.kill9();
    for (let k = 0; k < 20; k++) {
      const min = k * 7;
      const expected = products.filter((d) => (d['price'] as number) >= min).length;
      const res = await search(cluster, { q: k % 2 === 0 ? '' : 'widget', filter: `price >= ${min}`, limit: 100 });
      expect({ status: res.status, degraded: res.degraded, total: res.body.estimatedTotalHits, hits: res.body.hits?.length }).toEqual({
        status: 200,
        degraded: null,
        total: expected,
        hits: expected,
      });
    }
    const docs = await call(cluster, '/indexes/products/documents?limit=100');
    expect({ status: docs.status, degraded: docs.degraded, total: docs.body.total }).toEqual({ status: 200, degraded: null, total: 100 });
    const stats = await call(cluster, '/indexes/products/stats');
    expect({ degraded: stats.degraded, n: stats.body.numberOfDocuments }).toEqual({ degraded: null, n: 100 });
    for (const id of [1, 2, 3, 50, 99]) expect((await call(cluster, `/indexes/products/documents/${id}`)).status).toBe(200);

    await cluster.nodes[0]!.restart();
    const before = await searchesServedBy(cluster.nodes[0]!);
    const deadline = Date.now() + 30_000;
    let k = 0;
    while ((await searchesServedBy(cluster.nodes[0]!)) === before) {
      if (Date.now() > deadline) throw new Error('the restarted node received no search within 30 s');
      const res = await search(cluster, { q: 'widget', filter: `price >= ${k++ % 50}` });
      expect(res.status).toBe(200);
      expect(res.degraded).toBeNull();
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  test('two nodes killed: partial answers with X-Miroir-Degraded naming the missing shards', async () => {
    await Promise.all([cluster.nodes[0]!.kill9(), cluster.nodes[1]!.kill9()]);
    const lost = lostShards(cluster, ['meili-0', 'meili-1']);
    expect(lost.length).toBeGreaterThan(0);
    const reachable = products.filter((d) => !lost.includes(shardForKey(d['id'] as number, SHAPE.shards)));
    for (let k = 0; k < 3; k++) {
      const res = await search(cluster, { q: '', limit: 100, filter: `price >= ${k}` });
      expect(res.status).toBe(200);
      expect(res.degraded).toBe(`shards=${lost.join(',')}`);
      const expected = reachable.filter((d) => (d['price'] as number) >= k).map((d) => d['id']).sort();
      expect(res.body.hits!.map((h) => h['id']).sort()).toEqual(expected);
    }
    const docs = await call(cluster, '/indexes/products/documents?limit=100');
    expect({ status: docs.status, degraded: docs.degraded, total: docs.body.total }).toEqual({ status: 200, degraded: `shards=${lost.join(',')}`, total: reachable.length });
  });
});

describe('RF=2, policy error', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 3, replicationFactor: 2, shards: SHAPE.shards, unavailableShards: 'error', env: FAST_HEALTH });
    await seedIndex(cluster, { ...SHAPE }, spec);
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  test('one node down is still complete; two nodes down answer 503 miroir_shard_unavailable', async () => {
    await cluster.nodes[2]!.kill9();
    const complete = await search(cluster, { q: 'widget', limit: 100 });
    expect({ status: complete.status, degraded: complete.degraded, n: complete.body.hits?.length }).toEqual({ status: 200, degraded: null, n: 100 });

    await cluster.nodes[1]!.kill9();
    const lost = lostShards(cluster, ['meili-1', 'meili-2']);
    const res = await search(cluster, { q: 'widget' });
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('miroir_shard_unavailable');
    expect(res.degraded).toBe(`shards=${lost.join(',')}`);
    const sdk = cluster.client().index('products');
    await expect(sdk.search('widget')).rejects.toMatchObject({ cause: { code: 'miroir_shard_unavailable' } });
    const multi = await call(cluster, '/multi-search', { queries: [{ indexUid: 'products', q: 'widget' }] });
    expect(multi.status).toBe(503);
    const stats = await call(cluster, '/indexes/products/stats');
    expect(stats.status).toBe(503);
  });
});

describe('RG=2, RF=1: a group missing a shard falls back to the other group', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 4, groups: 2, replicationFactor: 1, shards: SHAPE.shards, unavailableShards: 'error', env: FAST_HEALTH });
    await seedIndex(cluster, { replicationFactor: 1, groups: 2, shards: SHAPE.shards }, spec);
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  test('one node of group 0 killed: every read is complete, without a degraded header', async () => {
    await cluster.nodes[0]!.kill9();
    for (let k = 0; k < 6; k++) {
      const res = await search(cluster, { q: k % 2 === 0 ? 'widget' : '', filter: `price >= ${k}`, limit: 100 });
      const expected = products.filter((d) => (d['price'] as number) >= k).length;
      expect({ status: res.status, degraded: res.degraded, n: res.body.hits?.length }).toEqual({ status: 200, degraded: null, n: expected });
    }
    const docs = await call(cluster, '/indexes/products/documents?limit=100');
    expect({ status: docs.status, total: docs.body.total, degraded: docs.degraded }).toEqual({ status: 200, total: 100, degraded: null });
  });
});
