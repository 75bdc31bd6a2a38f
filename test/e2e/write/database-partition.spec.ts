import { startTestCluster, type TestCluster } from '../../support/cluster';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy';

// An API pod that loses Postgres (a partition: connections hang, nothing errors) must not route
// writes by a topology it can no longer confirm — a shard migration may have cut over without it —
// so it refuses them with a Meilisearch-shaped 503 before touching any node, within a bounded time.
// Searches keep answering from its last table. When Postgres is back, writes flow again.
jest.setTimeout(180_000);

const INDEX = 'partitioned';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('an API pod cut off from Postgres', () => {
  let cluster: TestCluster;
  let proxy: TcpProxy;
  let pod: { url: string };

  const write = (id: string) =>
    fetch(`${pod.url}/indexes/${INDEX}/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cluster.masterKey}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ id, title: `document ${id}` }]),
    });

  /** The pod reconnects to Postgres on its own after the heal; retry for up to 30 s. */
  const writeOnceAccepted = async (id: string): Promise<Response> => {
    let res = await write(id);
    for (let i = 0; i < 60 && res.status !== 202; i++) {
      await sleep(500);
      res = await write(id);
    }
    return res;
  };

  const heldBy = async (id: string): Promise<number> => {
    let holders = 0;
    for (let i = 0; i < cluster.nodes.length; i++) {
      const found = await cluster
        .nodeClient(i)
        .index(INDEX)
        .getDocument(id)
        .then(() => true)
        .catch(() => false);
      if (found) holders++;
    }
    return holders;
  };

  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 2, replicationFactor: 1 });
    await cluster.client().createIndex(INDEX, { primaryKey: 'id' }).waitTask({ timeout: 60_000 });
    await cluster.client().index(INDEX).addDocuments([{ id: 'seed', title: 'seed document' }]).waitTask({ timeout: 60_000 });
    const db = new URL(cluster.databaseUrl);
    proxy = await startTcpProxy(db.hostname, Number(db.port));
    db.port = String(proxy.port);
    pod = await cluster.startExtraApi({ DATABASE_URL: db.toString() });
  });
  afterAll(async () => {
    await cluster?.stop();
    await proxy?.close();
  });

  it('writes through the pod while its database is reachable', async () => {
    const res = await write('before');
    expect(res.status).toBe(202);
    const { taskUid } = (await res.json()) as { taskUid: number };
    expect((await cluster.client().tasks.waitForTask(taskUid, { timeout: 60_000 })).status).toBe('succeeded');
    expect(await heldBy('before')).toBe(1);
  });

  it('refuses a write with 503 miroir_topology_unavailable, applied nowhere, and still answers searches', async () => {
    proxy.blackhole();
    // Past the pod's 2 s bound on the age of the topology it routes writes by.
    await sleep(2_500);
    const t0 = Date.now();
    const res = await write('during');
    const elapsed = Date.now() - t0;
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      message: expect.stringContaining('cannot be confirmed'),
      code: 'miroir_topology_unavailable',
      type: 'system',
      link: expect.any(String),
    });
    // Bounded: one confirming reload of at most 2 s, not a hang on the partitioned connection.
    expect(elapsed).toBeLessThan(10_000);
    expect(await heldBy('during')).toBe(0);

    const search = await fetch(`${pod.url}/indexes/${INDEX}/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cluster.masterKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ q: 'seed' }),
    });
    expect(search.status).toBe(200);
    expect(((await search.json()) as { hits: { id: string }[] }).hits.map((h) => h.id)).toEqual(['seed']);
  });

  it('accepts writes again once the database is back', async () => {
    proxy.heal();
    const res = await writeOnceAccepted('after');
    expect(res.status).toBe(202);
    const { taskUid } = (await res.json()) as { taskUid: number };
    expect((await cluster.client().tasks.waitForTask(taskUid, { timeout: 60_000 })).status).toBe('succeeded');
    expect(await heldBy('after')).toBe(1);
    expect(await heldBy('during')).toBe(0);
  });

  it('a write the partition catches after its routing was confirmed gets a 503 within the query bound, and the pod recovers', async () => {
    // Right after the cut the pod's topology is still fresh, so the write passes the routing check
    // and reaches the nodes; recording its task then hangs until the API's 15 s query bound.
    proxy.blackhole();
    const t0 = Date.now();
    const res = await write('caught');
    const elapsed = Date.now() - t0;
    expect(res.status).toBe(503);
    const body = (await res.json()) as { code: string; type: string };
    expect(['miroir_database_unavailable', 'miroir_topology_unavailable']).toContain(body.code);
    expect(body.type).toBe('system');
    expect(elapsed).toBeLessThan(60_000);

    proxy.heal();
    expect((await writeOnceAccepted('recovered')).status).toBe(202);
    const health = await fetch(`${pod.url}/health`);
    expect(health.status).toBe(200);
  });
});
