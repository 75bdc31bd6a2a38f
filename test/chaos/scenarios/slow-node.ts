// One node slowed by 500 ms through the dev node's fault injection: searches keep answering,
// completely and without errors — the scatter-gather waits for the slow shard rather than dropping
// it — so latency is bounded by the slowest shard. Latency is logged, never asserted (speed lives
// in bench/); what is asserted is that the slow node was asked and its hits are in every answer.
import { startTestCluster } from '../../support/cluster';
import { search, seedIndex, sleep } from '../support';

export interface SlowNodeOptions {
  docs: number;
  rounds: number;
}

const QUERIES = [{ q: '' }, { q: 'red' }, { q: 'blue document' }, { q: 'seed', filter: 'kind = seed', limit: 50 }];

async function faults(url: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${url}/_sim/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`PUT /_sim/faults → ${res.status}`);
}

export async function slowNodeScenario(opts: SlowNodeOptions): Promise<void> {
  const cluster = await startTestCluster({ nodes: 3, replicationFactor: 1, faults: true });
  try {
    const uid = 'slow';
    await seedIndex(cluster, uid, opts.docs);
    const hitsOf = async (q: Record<string, unknown>) => {
      const res = await cluster.request(`/indexes/${uid}/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ limit: 20, ...q }) });
      const body = (await res.json()) as { hits: { id: string }[]; estimatedTotalHits: number };
      return { status: res.status, degraded: res.headers.get('x-miroir-degraded'), ids: body.hits.map((h) => h.id), total: body.estimatedTotalHits };
    };
    const baseline = await Promise.all(QUERIES.map(hitsOf));

    const slow = cluster.nodes[1]!;
    await faults(slow.url, { latencyMs: 500 });
    await fetch(`${slow.url}/_sim/requests`, { method: 'DELETE' });
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
    const asked = (await (await fetch(`${slow.url}/_sim/requests`)).json()) as { routes: Record<string, number> };
    // Search or multi-search, however Miroir chose to ask the node: it was asked every time.
    const searches = Object.entries(asked.routes).reduce((n, [route, count]) => n + (route.includes('search') ? count : 0), 0);
    expect(searches).toBeGreaterThanOrEqual(opts.rounds * QUERIES.length);
    latencies.sort((a, b) => a - b);
    process.stderr.write(`[chaos] slow node (+500 ms): ${latencies.length} searches, median ${latencies[latencies.length >> 1]!.toFixed(0)} ms, max ${latencies[latencies.length - 1]!.toFixed(0)} ms (informational)\n`);

    await faults(slow.url, {});
    await sleep(50);
    expect((await search(cluster, uid, { q: '' })).status).toBe(200);
  } finally {
    await cluster.stop();
  }
}
