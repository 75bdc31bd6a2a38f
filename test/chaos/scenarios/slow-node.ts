// One node slowed by 500 ms (a TCP proxy in front of it holds every answer, so this runs on real
// Meilisearch nodes too): searches keep answering, completely and without errors — the
// scatter-gather waits for the slow shard rather than dropping it — so latency is bounded by the
// slowest shard. Latency is logged, never asserted (speed lives in bench/); what is asserted is
// that every answer equals the one before the slowdown with no degraded header: at RF=1 the slow
// node alone holds its shards, so its hits being there means it was asked and waited for.
import { startTestCluster } from '../../support/cluster';
import { search, seedIndex, sleep } from '../support';

export interface SlowNodeOptions {
  docs: number;
  rounds: number;
}

const QUERIES = [{ q: '' }, { q: 'red' }, { q: 'blue document' }, { q: 'seed', filter: 'kind = seed', limit: 50 }];

export async function slowNodeScenario(opts: SlowNodeOptions): Promise<void> {
  const cluster = await startTestCluster({ nodes: 3, replicationFactor: 1, proxied: true });
  try {
    const uid = 'slow';
    await seedIndex(cluster, uid, opts.docs);
    const hitsOf = async (q: Record<string, unknown>) => {
      const res = await cluster.request(`/indexes/${uid}/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ limit: 20, ...q }) });
      const body = (await res.json()) as { hits: { id: string }[]; estimatedTotalHits: number };
      return { status: res.status, degraded: res.headers.get('x-miroir-degraded'), ids: body.hits.map((h) => h.id), total: body.estimatedTotalHits };
    };
    const baseline = await Promise.all(QUERIES.map(hitsOf));

    const slow = cluster.proxies[1]!;
    slow.delay(500);
    const latencies: number[] = [];
    for (let round = 0; round < opts.rounds; round++) {
      // Several queries at once: concurrent requests must not pile up errors either.
      const answers = await Promise.all(
        QUERIES.map(async (q) => {
          const t0 = performance.now();
          const a = await hitsOf(q);
          latencies.push(performance.now() - t0);
          return a;
        }),
      );
      expect(answers).toEqual(baseline); // same status, hits, totals — and no degraded header
    }
    latencies.sort((a, b) => a - b);
    process.stderr.write(`[chaos] slow node (+500 ms): ${latencies.length} searches, median ${latencies[latencies.length >> 1]!.toFixed(0)} ms, max ${latencies[latencies.length - 1]!.toFixed(0)} ms (informational)\n`);

    slow.delay(0);
    await sleep(50);
    expect((await search(cluster, uid, { q: '' })).status).toBe(200);
  } finally {
    await cluster.stop();
  }
}
