// Two of three nodes killed (RF=2): the shards both of whose owners died have no replica left.
// Policy `partial` answers 200 from the covered shards with `X-Miroir-Degraded: shards=<exactly the
// uncovered ones>`; policy `error` answers 503 `miroir_shard_unavailable`. Every answer, from the
// moment of the kill (before and after the health checker notices), follows the policy; once the
// nodes come back, answers are complete again.
import { shardForKey } from '@miroir/core';
import { startTestCluster } from '../../support/cluster';
import { SHARDS, search, seedIndex, sleep, uncoveredShards } from '../support';

export interface TwoNodesDownOptions {
  policy: 'partial' | 'error';
  docs: number;
  /** Searches after the kill, 300 ms apart. */
  probes: number;
}

const parseShards = (header: string | null): number[] =>
  (/shards=([\d,]+)/.exec(header ?? '')?.[1] ?? '')
    .split(',')
    .filter(Boolean)
    .map(Number)
    .sort((a, b) => a - b);

export async function twoNodesDownScenario(opts: TwoNodesDownOptions): Promise<void> {
  const cluster = await startTestCluster({ nodes: 3, replicationFactor: 2, unavailableShards: opts.policy, env: { MIROIR_HEALTH__INTERVAL_MS: '500' } });
  try {
    const uid = 'down';
    const docs = await seedIndex(cluster, uid, opts.docs);
    const dead = ['meili-0', 'meili-1'];
    const uncovered = uncoveredShards(3, 2, dead);
    const reachable = docs.filter((d) => !uncovered.includes(shardForKey(d.id, SHARDS))).length;
    expect(uncovered.length).toBeGreaterThan(0); // the scenario is meaningful only if some shard is lost
    expect(await search(cluster, uid, { q: '' })).toMatchObject({ status: 200, total: docs.length, degraded: null });

    await Promise.all([cluster.nodes[0]!.kill9(), cluster.nodes[1]!.kill9()]);
    for (let i = 0; i < opts.probes; i++) {
      const r = await search(cluster, uid, { q: '', limit: 10 });
      if (opts.policy === 'partial') {
        expect({ status: r.status, total: r.total, shards: parseShards(r.degraded) }).toEqual({ status: 200, total: reachable, shards: uncovered });
      } else {
        expect({ status: r.status, code: r.code }).toEqual({ status: 503, code: 'miroir_shard_unavailable' });
      }
      await sleep(300);
    }

    await Promise.all([cluster.nodes[0]!.restart(), cluster.nodes[1]!.restart()]);
    // Recovery is eventual (health checker thresholds): poll until the answer is whole again.
    let last = await search(cluster, uid, { q: '' });
    for (let i = 0; i < 120 && !(last.status === 200 && last.total === docs.length && last.degraded === null); i++) {
      await sleep(250);
      last = await search(cluster, uid, { q: '' });
    }
    expect(last).toMatchObject({ status: 200, total: docs.length, degraded: null });
  } finally {
    await cluster.stop();
  }
}
