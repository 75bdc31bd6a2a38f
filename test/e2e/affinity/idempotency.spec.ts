import { startTestCluster, type TestCluster } from '../../support/cluster';
import { TASK_WAIT } from '../../support/client';

// docs/design.md#sessions-tenants-and-idempotency / issue 7 (1): Idempotency-Key on writes, decided by Postgres uniqueness so that two
// API processes racing the same request produce one write.
jest.setTimeout(180_000);

const INDEX = 'books';
const docs = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ id: `b${from + i}`, title: `Book ${from + i}` }));

describe('Idempotency-Key', () => {
  let cluster: TestCluster;

  /** Total tasks each node has ever received: unchanged means no node was touched. */
  async function nodeTaskTotals(): Promise<number[]> {
    return Promise.all(cluster.nodes.map(async (_, i) => (await cluster.nodeClient(i).tasks.getTasks({ limit: 1 })).total ?? 0));
  }

  function post(url: string, key: string, body: unknown): Promise<Response> {
    return fetch(`${url}/indexes/${INDEX}/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cluster.masterKey}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });
  }

  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 3, replicationFactor: 2 });
    await cluster.client().createIndex(INDEX, { primaryKey: 'id' }).waitTask(TASK_WAIT);
  });
  afterAll(() => cluster?.stop());

  it('a repeat with the same body returns the same task without touching the nodes', async () => {
    const first = await post(cluster.url, 'key-1', docs(20));
    expect(first.status).toBe(202);
    const { taskUid } = (await first.json()) as { taskUid: number };
    await cluster.client().tasks.waitForTask(taskUid);
    const before = await nodeTaskTotals();

    // Same documents, other key order and whitespace: the same request.
    const again = await fetch(`${cluster.url}/indexes/${INDEX}/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cluster.masterKey}`, 'content-type': 'application/json', 'idempotency-key': 'key-1' },
      body: JSON.stringify(docs(20).map((d) => ({ title: d.title, id: d.id })), null, 2),
    });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as { taskUid: number }).taskUid).toBe(taskUid);
    expect(await nodeTaskTotals()).toEqual(before);
  });

  it('the same key with another body is refused with 409 miroir_idempotency_key_reused', async () => {
    const before = await nodeTaskTotals();
    const res = await post(cluster.url, 'key-1', docs(5, 100));
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'miroir_idempotency_key_reused', type: 'invalid_request' });
    expect(await nodeTaskTotals()).toEqual(before);
  });

  it('a request that failed frees its key', async () => {
    const bad = await fetch(`${cluster.url}/indexes/${INDEX}/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cluster.masterKey}`, 'content-type': 'application/json', 'idempotency-key': 'key-2' },
      body: '[{"id": "x",',
    });
    expect(bad.status).toBe(400);
    const good = await post(cluster.url, 'key-2', docs(3, 200));
    expect(good.status).toBe(202);
  });

  it('two API processes racing the same key and body make one write', async () => {
    const second = await cluster.startExtraApi();
    const before = await nodeTaskTotals();
    const body = docs(30, 300);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => post(i % 2 ? second.url : cluster.url, 'race-key', body)));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(202));
    const uids = new Set(await Promise.all(answers.map(async (a) => ((await a.json()) as { taskUid: number }).taskUid)));
    expect(uids.size).toBe(1);
    await cluster.client().tasks.waitForTask([...uids][0]!);
    const after = await nodeTaskTotals();
    // One write: every node got at most one new task (RF=2 over 3 nodes: 30 docs reach every node once).
    after.forEach((n, i) => expect(n - before[i]!).toBeLessThanOrEqual(1));
    expect(after.reduce((a, b) => a + b, 0) - before.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    await second.process.stop();
  });
});
