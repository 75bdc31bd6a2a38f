// `kill -9` of one node (RF=2, write_quorum majority, 3 nodes) while readers and writers run.
// Reads: every search answers 200 with the complete seed set and no degraded header (another
// replica covers each of the dead node's shards). Writes: once the node is dead, a document whose
// shard has the dead node among its 2 owners cannot reach majority (2 of 2) → 503
// miroir_no_quorum; any other document → 202. Nothing acknowledged is lost: after the node is
// restarted, every 202'd task succeeds and every acknowledged document is found.
import { startTestCluster } from '../../support/cluster';
import { background, missingIds, ownersOfId, search, seedIndex, sleep, waitTasks, writeDocs, type WriteOutcome } from '../support';

export interface NodeKillOptions {
  seedDocs: number;
  /** Load before the kill and after it, each. */
  phaseMs: number;
}

export async function nodeKillScenario(opts: NodeKillOptions): Promise<void> {
  const cluster = await startTestCluster({ nodes: 3, replicationFactor: 2, writeQuorum: 'majority' });
  try {
    const uid = 'killnode';
    await seedIndex(cluster, uid, opts.seedDocs);
    const victim = 'meili-1';
    let dead = false;

    const readers = background(2, () => search(cluster, uid, { q: '', filter: 'kind = seed', limit: 5 }));
    const writers = background(2, async (w, i): Promise<WriteOutcome & { owners: string[] }> => {
      const id = `w${w}-${i}`;
      const afterFault = dead; // decided before sending: in-flight writes at the kill may go either way
      const out = await writeDocs(cluster, uid, [{ id, kind: 'written', title: `written ${i}`, n: i }], afterFault);
      return { ...out, owners: ownersOfId(id, 3, 2) };
    });
    await sleep(opts.phaseMs);
    await cluster.nodes[1]!.kill9();
    dead = true;
    await sleep(opts.phaseMs);
    const [reads, writes] = await Promise.all([readers.stop(), writers.stop()]);

    // Reads complete throughout.
    const badReads = reads.filter((r) => !(r.status === 200 && r.total === opts.seedDocs && r.degraded === null));
    expect({ reads: reads.length, bad: badReads.slice(0, 5) }).toEqual({ reads: reads.length, bad: [] });

    // Writes follow the quorum.
    const expected = (w: (typeof writes)[number]): number[] => {
      if (!w.afterFault) return [202, 503];
      return w.owners.includes(victim) ? [503] : [202];
    };
    const wrong = writes.filter((w) => !expected(w).includes(w.status) || (w.status === 503 && w.code !== 'miroir_no_quorum'));
    expect({ writes: writes.length, wrong: wrong.slice(0, 5) }).toEqual({ writes: writes.length, wrong: [] });
    expect(writes.some((w) => w.afterFault && w.status === 202)).toBe(true);
    expect(writes.some((w) => w.afterFault && w.status === 503)).toBe(true);

    // No acknowledged write lost once the node is back.
    await cluster.nodes[1]!.restart();
    const acked = writes.filter((w) => w.status === 202);
    const refused = writes.filter((w) => w.status === 503).length;
    process.stderr.write(`[chaos] node kill: ${reads.length} complete reads, ${writes.length} writes (${acked.length} acknowledged, ${refused} refused for quorum)\n`);
    expect(await waitTasks(cluster, acked.map((w) => w.taskUid!))).toEqual([]);
    expect(await missingIds(cluster, uid, acked.flatMap((w) => w.ids))).toEqual([]);
  } finally {
    await cluster.stop();
  }
}
