import { startTestCluster, type TestCluster } from '../../support/cluster';
import { TASK_WAIT } from '../../support/client';

// docs/design.md#sessions-tenants-and-idempotency / issue 7 (3): tenant affinity pins a tenant's reads to one replica group, a dedicated
// group serves only its tenants, and writes still reach every group. Which node served a read is
// read from the dev nodes' own request counters.
jest.setTimeout(240_000);

const INDEX = 'items';

async function searchesServed(nodeUrl: string): Promise<number> {
  const res = await fetch(`${nodeUrl}/_sim/requests`);
  const body = (await res.json()) as { routes: Record<string, number> };
  return Object.entries(body.routes)
    .filter(([route]) => /^POST .*\/search$/.test(route))
    .reduce((n, [, c]) => n + c, 0);
}

async function servedBy(cluster: TestCluster, run: () => Promise<void>): Promise<number[]> {
  const before = await Promise.all(cluster.nodes.map((n) => searchesServed(n.url)));
  await run();
  const after = await Promise.all(cluster.nodes.map((n) => searchesServed(n.url)));
  return after.map((a, i) => a - before[i]!);
}

function groupTotals(cluster: TestCluster, perNode: number[]): number[] {
  const totals = [0, 0];
  perNode.forEach((n, i) => (totals[cluster.nodes[i]!.group]! += n));
  return totals;
}

async function seed(cluster: TestCluster): Promise<void> {
  await cluster.client().createIndex(INDEX, { primaryKey: 'id' }).waitTask(TASK_WAIT);
  await cluster.client().index(INDEX).addDocuments(Array.from({ length: 50 }, (_, i) => ({ id: i, name: `item ${i}` }))).waitTask();
}

async function search(cluster: TestCluster, headers: Record<string, string>, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const res = await fetch(`${cluster.url}/indexes/${INDEX}/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cluster.masterKey}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ q: 'item' }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { estimatedTotalHits: number }).estimatedTotalHits).toBe(50);
  }
}

async function admin(cluster: TestCluster, body: unknown): Promise<void> {
  const res = await fetch(`${cluster.url}/_miroir/tenants`, {
    method: 'POST',
    headers: { 'x-admin-key': cluster.adminKey, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
}

describe('tenant affinity, header mode, RG=2 with group 1 dedicated', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    // Dev nodes: which group answered is read from the nodes' request counts (/_sim/requests).
    cluster = await startTestCluster({
      nodes: 4,
      groups: 2,
      replicationFactor: 1,
      faults: true,
      env: { MIROIR_TENANTS__MODE: 'header', MIROIR_TENANTS__DEDICATED_GROUPS: '[1]' },
    });
    await seed(cluster);
    await admin(cluster, { id: 'acme', group: 1 });
    await admin(cluster, { id: 'globex', group: 0 });
  });
  afterAll(() => cluster?.stop());

  it("lands every read of a tenant on its group's nodes", async () => {
    expect(groupTotals(cluster, await servedBy(cluster, () => search(cluster, { 'x-miroir-tenant': 'acme' }, 20)))).toEqual([0, expect.any(Number)]);
    expect(groupTotals(cluster, await servedBy(cluster, () => search(cluster, { 'x-miroir-tenant': 'globex' }, 20)))).toEqual([expect.any(Number), 0]);
  });

  it('counts reads per tenant and per group in the metrics', async () => {
    const res = await fetch(`${cluster.url}/_miroir/metrics`, { headers: { 'x-admin-key': cluster.adminKey } });
    const text = await res.text();
    const value = (series: string): number => Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
    expect(value('miroir_tenant_reads_total{tenant="acme",group="1"}')).toBeGreaterThanOrEqual(20);
    expect(value('miroir_reads_routed_total{group="1",reason="tenant"}')).toBeGreaterThanOrEqual(20);
  });

  it('keeps the dedicated group free of reads by other tenants and by untagged clients', async () => {
    const perNode = await servedBy(cluster, async () => {
      await search(cluster, {}, 20);
      await search(cluster, { 'x-miroir-tenant': 'initech' }, 20); // unknown tenant: hashed over shared groups
    });
    const [shared, dedicated] = groupTotals(cluster, perNode);
    expect(dedicated).toBe(0);
    expect(shared).toBeGreaterThan(0);
  });

  it('lists and deletes tenants through the admin API', async () => {
    const list = await fetch(`${cluster.url}/_miroir/tenants`, { headers: { 'x-admin-key': cluster.adminKey } });
    expect(((await list.json()) as { results: Array<{ id: string }> }).results.map((t) => t.id)).toEqual(['acme', 'globex']);
    const del = await fetch(`${cluster.url}/_miroir/tenants/globex`, { method: 'DELETE', headers: { 'x-admin-key': cluster.adminKey } });
    expect(del.status).toBe(204);
  });
});

describe('tenant affinity, api_key mode', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    // Dev nodes: which group answered is read from the nodes' request counts (/_sim/requests).
    cluster = await startTestCluster({ nodes: 4, groups: 2, replicationFactor: 1, faults: true, env: { MIROIR_TENANTS__MODE: 'api_key' } });
    await seed(cluster);
  });
  afterAll(() => cluster?.stop());

  it('routes by the tenant map keyed by the hash of the API key', async () => {
    // The master key is used as the credential here; the tenant map is keyed by the key's hash.
    await admin(cluster, { id: 'master', group: 0, apiKey: cluster.masterKey });
    expect(groupTotals(cluster, await servedBy(cluster, () => search(cluster, {}, 20)))).toEqual([expect.any(Number), 0]);
    await admin(cluster, { id: 'master', group: 1, apiKey: cluster.masterKey }); // the admin change clears this pod's cache
    expect(groupTotals(cluster, await servedBy(cluster, () => search(cluster, {}, 20)))).toEqual([0, expect.any(Number)]);
  });
});
