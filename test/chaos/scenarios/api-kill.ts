// `kill -9` of the API process while clients write (RF=2, 3 nodes), then a restart. Clients see
// either 202 or a connection error — never an HTTP error; and no acknowledged write is lost: every
// 202'd task succeeds and all of its documents are present afterwards.
import { startTestCluster } from '../../support/cluster';
import { background, missingIds, seedIndex, sleep, waitTasks, writeDocs } from '../support';

export interface ApiKillOptions {
  writers: number;
  docsPerWrite: number;
  /** Load before the kill, during the downtime, and after the restart, each. */
  phaseMs: number;
}

export async function apiKillScenario(opts: ApiKillOptions): Promise<void> {
  const cluster = await startTestCluster({ nodes: 3, replicationFactor: 2 });
  try {
    const uid = 'killapi';
    await seedIndex(cluster, uid, 10);
    let phase: 'before' | 'down' | 'after' = 'before';
    const writers = background(opts.writers, async (w, i) => {
      const sentIn = phase;
      const docs = Array.from({ length: opts.docsPerWrite }, (_, k) => ({ id: `a${w}-${i}-${k}`, kind: 'written', title: `write ${w} ${i} ${k}` }));
      return { ...(await writeDocs(cluster, uid, docs, sentIn !== 'before')), sentIn };
    });
    await sleep(opts.phaseMs);
    await cluster.api().kill9();
    phase = 'down';
    await sleep(opts.phaseMs);
    await cluster.restartApi();
    phase = 'after';
    await sleep(opts.phaseMs);
    const writes = await writers.stop();

    // Only 202 or no answer at all.
    const httpErrors = writes.filter((w) => w.status !== 202 && w.status !== 0);
    expect(httpErrors.map((w) => ({ status: w.status, code: w.code, sentIn: w.sentIn }))).toEqual([]);
    // The scenario did what it says: acknowledged writes before the kill and after the restart,
    // connection errors while the API was down.
    expect(writes.some((w) => w.sentIn === 'before' && w.status === 202)).toBe(true);
    expect(writes.some((w) => w.sentIn === 'after' && w.status === 202)).toBe(true);
    expect(writes.some((w) => w.connectionError !== undefined)).toBe(true);

    const acked = writes.filter((w) => w.status === 202);
    process.stderr.write(`[chaos] API kill: ${writes.length} writes, ${acked.length} acknowledged (${acked.length * opts.docsPerWrite} documents), ${writes.length - acked.length} connection errors\n`);
    expect(await waitTasks(cluster, acked.map((w) => w.taskUid!))).toEqual([]);
    expect(await missingIds(cluster, uid, acked.flatMap((w) => w.ids))).toEqual([]);
  } finally {
    await cluster.stop();
  }
}
