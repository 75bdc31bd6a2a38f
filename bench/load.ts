// Closed-loop load generators over a fixed list of requests: `connections` clients each send the
// next request as soon as the previous answer arrived, cycling through the list from their own
// offset, for `durationS` seconds.
//
// The default driver is undici with performance.now() per request, because autocannon's latency
// histogram has 1 ms resolution — too coarse for ratios of single-digit-millisecond latencies.
// `autocannonLoad` runs the same requests through autocannon as a cross-check of the throughput.
import { Agent, request } from 'undici';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

export interface LoadResult {
  requests: number;
  errors: number;
  non2xx: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
}

const pct = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

export async function undiciLoad(url: string, key: string, reqs: readonly LoadRequest[], connections: number, durationS: number): Promise<LoadResult> {
  const agent = new Agent({ connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const lat: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const t0 = performance.now();
  const end = t0 + durationS * 1000;
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      let i = Math.floor((c * reqs.length) / connections);
      while (performance.now() < end) {
        const r = reqs[i++ % reqs.length]!;
        const s = performance.now();
        try {
          const res = await request(`${url}${r.path}`, { method: r.method, headers, body: r.body, dispatcher: agent });
          await res.body.dump();
          if (res.statusCode >= 300) non2xx++;
          lat.push(performance.now() - s);
        } catch {
          errors++;
        }
      }
    }),
  );
  const wall = (performance.now() - t0) / 1000;
  await agent.close();
  lat.sort((a, b) => a - b);
  const round = (x: number): number => +x.toFixed(2);
  return {
    requests: lat.length,
    errors,
    non2xx,
    rps: round(lat.length / wall),
    p50: round(pct(lat, 50)),
    p90: round(pct(lat, 90)),
    p99: round(pct(lat, 99)),
    mean: round(lat.reduce((a, b) => a + b, 0) / Math.max(1, lat.length)),
  };
}

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p99: number; mean: number };
  errors: number;
  non2xx: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;

export async function autocannonLoad(url: string, key: string, reqs: readonly LoadRequest[], connections: number, durationS: number): Promise<LoadResult> {
  // autocannon ships no type declarations; the shape used here is its documented result object.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const autocannon = require('autocannon') as Autocannon;
  const r = await autocannon({
    url,
    connections,
    duration: durationS,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    requests: reqs.map((q) => ({ method: q.method, path: q.path, body: q.body })),
  });
  return {
    requests: r.requests.total,
    errors: r.errors,
    non2xx: r.non2xx,
    rps: r.requests.average,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    mean: r.latency.mean,
  };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
