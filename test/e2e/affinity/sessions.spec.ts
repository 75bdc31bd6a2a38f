import { startTestCluster, type TestCluster } from '../../support/cluster';
import { TASK_WAIT } from '../../support/client';

// docs/design.md#sessions-tenants-and-idempotency / issue 7 (2): read-your-writes. A search right after a write's 202 races the nodes'
// asynchronous indexing; in a session with `block` it waits for the write's node tasks first.
jest.setTimeout(300_000);

const INDEX = 'notes';
const TRIALS = 1_000;

describe('X-Miroir-Session read-your-writes', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    // Dev nodes: one group's indexing is delayed while its HTTP answers stay fast (/_sim/faults),
    // a fault no proxy can express.
    cluster = await startTestCluster({ nodes: 4, groups: 2, replicationFactor: 1, faults: true, env: { MIROIR_SESSIONS__WAIT_STRATEGY: 'block' } });
    await cluster.client().createIndex(INDEX, { primaryKey: 'id' }).waitTask(TASK_WAIT);
    // Index like a real Meilisearch does: visible some milliseconds after the 202 (see Faults).
    for (const n of cluster.nodes) {
      await fetch(`${n.url}/_sim/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ indexingDelayMs: 15 }) });
    }
  });
  afterAll(() => cluster?.stop());

  /** Writes one document with a unique word, searches for it at once; true when found. */
  async function trial(i: number, session?: string): Promise<boolean> {
    const word = `w${session ? 's' : 'n'}${i}x${Math.random().toString(36).slice(2, 8)}`;
    const headers: Record<string, string> = { authorization: `Bearer ${cluster.masterKey}`, 'content-type': 'application/json' };
    if (session) headers['x-miroir-session'] = session;
    const write = await fetch(`${cluster.url}/indexes/${INDEX}/documents`, { method: 'POST', headers, body: JSON.stringify([{ id: word, text: word }]) });
    expect(write.status).toBe(202);
    const search = await fetch(`${cluster.url}/indexes/${INDEX}/search`, { method: 'POST', headers, body: JSON.stringify({ q: word }) });
    expect(search.status).toBe(200);
    const body = (await search.json()) as { hits: Array<{ id: string }> };
    return body.hits.some((h) => h.id === word);
  }

  it(`finds its own write every time in a session (${TRIALS} trials), and measurably less often without`, async () => {
    let withSession = 0;
    let without = 0;
    for (let i = 0; i < TRIALS; i++) {
      if (await trial(i, `session-${i % 10}`)) withSession++;
      if (await trial(i)) without++;
    }
    // eslint-disable-next-line no-console
    console.log(`read-your-writes: in a session ${withSession}/${TRIALS} found, without a session ${without}/${TRIALS} found`);
    expect(withSession).toBe(TRIALS);
    expect(without).toBeLessThan(TRIALS);
  });
});
