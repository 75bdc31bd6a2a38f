// Durability: kill -9 during a stream of writes, restart, and check that every acknowledged write
// is there, the task log is intact and its uid sequence continues. Run twice: once with the WAL
// only, once with compaction forced every few hundred KB so snapshots and WAL rotation are crossed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startSim, type SimHandle } from './support/sim-node';
import type { Meilisearch as MeiliClient } from 'meilisearch';
import { TASK_WAIT } from '../support/client';

const MASTER = 'durability-master-key-0123456789';

async function waitAllProcessed(client: MeiliClient, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = await client.tasks.getTasks({ statuses: ['enqueued', 'processing'], limit: 1 });
    if (pending.total === 0) return;
    if (Date.now() > deadline) throw new Error(`${pending.total} tasks still pending`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each([
  ['WAL only', {}],
  ['with frequent compaction', { MEILI_SIM_COMPACT_AFTER_BYTES: '200000' }],
])('kill -9 during writes (%s)', (_label, env: Record<string, string>) => {
  let sim: SimHandle;
  beforeAll(async () => {
    sim = await startSim({ masterKey: MASTER, env });
  });
  afterAll(async () => {
    await sim?.dispose();
  });

  it('keeps every acknowledged write and continues the task uid sequence', async () => {
    const client = sim.client();
    await client.createIndex('stream', { primaryKey: 'id' }).waitTask(TASK_WAIT);
    await client.index('stream').updateFilterableAttributes(['batch']).waitTask();

    const acked = new Map<number, string[]>(); // taskUid → document ids it carried
    let batch = 0;
    let stop = false;
    const writer = async (worker: number): Promise<void> => {
      while (!stop) {
        const b = batch++;
        const docs = Array.from({ length: 20 }, (_, i) => ({ id: `w${worker}-b${b}-${i}`, batch: b, body: 'x'.repeat(200) }));
        try {
          const t = await client.index('stream').addDocuments(docs);
          acked.set(t.taskUid, docs.map((d) => d.id));
        } catch {
          return; // the node died under us: this write was never acknowledged
        }
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    // Let a good number of writes through, then pull the plug mid-stream.
    while (acked.size < 60) await new Promise((r) => setTimeout(r, 5));
    await sim.node.kill9();
    stop = true;
    await Promise.all(writers);
    const maxAcked = Math.max(...acked.keys());

    await sim.node.restart();
    await waitAllProcessed(client);

    // Every acknowledged task is in the log and succeeded.
    for (const uid of acked.keys()) {
      const t = await client.tasks.getTask(uid);
      expect({ uid, status: t.status }).toEqual({ uid, status: 'succeeded' });
    }
    // Every acknowledged document is present.
    const present = new Set<string>();
    for (let offset = 0; ; offset += 1000) {
      const page = await client.index('stream').getDocuments({ offset, limit: 1000, fields: ['id'] });
      for (const d of page.results) present.add(String(d.id));
      if (page.results.length < 1000) break;
    }
    const missing = [...acked.values()].flat().filter((id) => !present.has(id));
    expect(missing).toEqual([]);

    // The log is dense (0..n-1) and the next write continues after it.
    const all = await client.tasks.getTasks({ limit: 100000 });
    const uids = all.results.map((t) => t.uid).sort((a, b) => a - b);
    expect(uids).toEqual(Array.from({ length: uids.length }, (_, i) => i));
    expect(uids[uids.length - 1]).toBeGreaterThanOrEqual(maxAcked);
    const after = await client.index('stream').addDocuments([{ id: 'after-restart', batch: -1 }]).waitTask();
    expect(after.uid).toBe(uids.length);
    expect(after.status).toBe('succeeded');

    // And a clean restart (SIGTERM) keeps everything too.
    const countBefore = (await client.index('stream').getStats()).numberOfDocuments;
    await sim.node.restart();
    expect((await client.index('stream').getStats()).numberOfDocuments).toBe(countBefore);
    expect((await client.tasks.getTask(after.uid)).status).toBe('succeeded');
    if (env.MEILI_SIM_COMPACT_AFTER_BYTES) expect(existsSync(join(sim.dir, 'db', 'snapshot.ndjson'))).toBe(true);
  });
});
