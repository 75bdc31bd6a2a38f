// Dev-node benchmark: index 100,000 documents of ~1 KB over HTTP, wait for the tasks, then time a
// few thousand realistic searches (1–3 words, Zipf-distributed vocabulary, prefix on the last
// word, some typos, some with a filter/facets/sort). Run: `node dist/bench/meili-sim-search.js`
// (after `npm run build`). Options: --docs N, --batch N, --queries N, --bin PATH (a real meilisearch).
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { startDevNode } from '@miroir/embedded/dev-node';
import { freePort } from '@miroir/embedded/ports';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}
const DOCS = arg('docs', 100_000);
const BATCH = arg('batch', 5_000);
const QUERIES = arg('queries', 3_000);
const binIdx = process.argv.indexOf('--bin');
const BIN = binIdx > 0 ? process.argv[binIdx + 1] : undefined;
const KEY = 'bench-master-key-0123456789abcdef';

// Deterministic PRNG (mulberry32) so every run indexes and queries the same data.
let seed = 0x5eed;
function rand(): number {
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

// A 5,000-word pseudo-English vocabulary, drawn with a Zipf distribution like natural text.
const SYL = ['ka', 'lo', 'mi', 're', 'sa', 'to', 'ne', 'vi', 'da', 'ru', 'pe', 'lin', 'mor', 'tan', 'ber', 'sol', 'gar', 'en', 'ist', 'on', 'al', 'ic', 'ver', 'stra', 'ph', 'qu', 'ex', 'ul'];
const VOCAB = Array.from(new Set(Array.from({ length: 7000 }, () => Array.from({ length: 2 + Math.floor(rand() * 3) }, () => pick(SYL)).join('')))).slice(0, 5000);
const ZIPF_CDF = (() => {
  const w = VOCAB.map((_, i) => 1 / (i + 1));
  const total = w.reduce((a, b) => a + b, 0);
  let acc = 0;
  return w.map((x) => (acc += x / total));
})();
function zipfWord(): string {
  const r = rand();
  let lo = 0;
  let hi = ZIPF_CDF.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ZIPF_CDF[mid]! < r) lo = mid + 1;
    else hi = mid;
  }
  return VOCAB[lo]!;
}
const words = (n: number): string => Array.from({ length: n }, zipfWord).join(' ');
const GENRES = ['drama', 'comedy', 'action', 'thriller', 'romance', 'horror', 'documentary', 'animation', 'fantasy', 'science-fiction'];

function makeDoc(i: number): Record<string, unknown> {
  return {
    id: i,
    title: words(2 + Math.floor(rand() * 4)),
    overview: words(110 + Math.floor(rand() * 30)),
    genres: [pick(GENRES), pick(GENRES)],
    year: 1950 + Math.floor(rand() * 75),
    rating: Math.round(rand() * 100) / 10,
    director: words(2),
    language: pick(['en', 'fr', 'de', 'es', 'ja', 'it']),
  };
}

/**
 * Query words follow the same Zipf law but skip the 100 most frequent words: those play the part of
 * function words ("the", "of") that real users rarely type as a whole query and that Meilisearch
 * users usually make stop words.
 */
function queryWord(): string {
  for (;;) {
    const w = zipfWord();
    if (VOCAB.indexOf(w) >= 100) return w;
  }
}

function makeQuery(): Record<string, unknown> {
  const n = 1 + Math.floor(rand() * 3);
  const ws = Array.from({ length: n }, queryWord);
  const r = rand();
  if (r < 0.3) ws[ws.length - 1] = ws[ws.length - 1]!.slice(0, Math.max(2, ws[ws.length - 1]!.length - 2)); // typing: prefix
  else if (r < 0.4 && ws[0]!.length >= 5) ws[0] = ws[0]!.slice(0, 2) + ws[0]![3] + ws[0]![2] + ws[0]!.slice(4); // typo (swap)
  const q: Record<string, unknown> = { q: ws.join(' '), limit: 20 };
  const f = rand();
  if (f < 0.2) q.filter = `genres = ${pick(GENRES)} AND year >= ${1960 + Math.floor(rand() * 50)}`;
  else if (f < 0.3) q.facets = ['genres', 'language'];
  else if (f < 0.35) q.sort = ['rating:desc'];
  return q;
}

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'meili-sim-bench-'));
  const port = await freePort();
  const node = await startDevNode({ httpAddr: `127.0.0.1:${port}`, dbPath: join(dir, 'db'), masterKey: KEY, bin: BIN });
  const agent = new Agent({ connections: 8, pipelining: 1 });
  const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
  const call = async (method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<unknown> => {
    const res = await request(`${node.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), dispatcher: agent });
    const text = await res.body.text();
    if (res.statusCode >= 400) throw new Error(`${method} ${path}: ${res.statusCode} ${text}`);
    return text ? (JSON.parse(text) as unknown) : null;
  };
  const waitIdle = async (): Promise<void> => {
    for (;;) {
      const r = (await call('GET', '/tasks?statuses=enqueued,processing&limit=1')) as { total: number };
      if (r.total === 0) return;
      await new Promise((res) => setTimeout(res, 20));
    }
  };
  try {
    await call('POST', '/indexes', { uid: 'movies', primaryKey: 'id' });
    await call('PATCH', '/indexes/movies/settings', { filterableAttributes: ['genres', 'year', 'language'], sortableAttributes: ['rating', 'year'] });
    await waitIdle();

    // Generate payloads first so generation time is not counted as indexing time.
    const payloads: string[] = [];
    let bytes = 0;
    for (let i = 0; i < DOCS; i += BATCH) {
      const s = JSON.stringify(Array.from({ length: Math.min(BATCH, DOCS - i) }, (_, j) => makeDoc(i + j)));
      bytes += s.length;
      payloads.push(s);
    }
    const t0 = performance.now();
    // Two uploads in flight: the node queues tasks while it indexes the previous batch.
    let next = 0;
    await Promise.all(
      [0, 1].map(async () => {
        while (next < payloads.length) {
          const body = payloads[next++]!;
          const res = await request(`${node.url}/indexes/movies/documents`, { method: 'POST', headers, body, dispatcher: agent });
          await res.body.text();
          if (res.statusCode !== 202) throw new Error(`add documents: ${res.statusCode}`);
        }
      }),
    );
    const tAcked = performance.now();
    await waitIdle();
    const tIndexed = performance.now();
    const failed = (await call('GET', '/tasks?statuses=failed&limit=1')) as { total: number };
    const stats = (await call('GET', '/indexes/movies/stats')) as { numberOfDocuments: number };
    if (failed.total > 0 || stats.numberOfDocuments !== DOCS) throw new Error(`indexing incomplete: ${JSON.stringify({ failed: failed.total, stats })}`);

    const queries = Array.from({ length: QUERIES }, makeQuery);
    for (const q of queries.slice(0, 200)) await call('POST', '/indexes/movies/search', q); // warm-up
    const lat: number[] = [];
    const server: number[] = [];
    let hits = 0;
    for (const q of queries) {
      const s = performance.now();
      const r = (await call('POST', '/indexes/movies/search', q)) as { processingTimeMs: number; hits: unknown[] };
      lat.push(performance.now() - s);
      server.push(r.processingTimeMs);
      hits += r.hits.length;
    }
    lat.sort((a, b) => a - b);
    server.sort((a, b) => a - b);
    const result = {
      date: new Date().toISOString(),
      machine: `${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`,
      node: BIN ? `meilisearch binary ${BIN}` : 'meili-sim dev node',
      documents: DOCS,
      avgDocBytes: Math.round(bytes / DOCS),
      batch: BATCH,
      uploadAckedSeconds: +((tAcked - t0) / 1000).toFixed(2),
      indexingSeconds: +((tIndexed - t0) / 1000).toFixed(2),
      docsPerSecond: Math.round(DOCS / ((tIndexed - t0) / 1000)),
      queries: QUERIES,
      avgHitsPerQuery: +(hits / QUERIES).toFixed(1),
      searchMs: { median: +pct(lat, 50).toFixed(2), p90: +pct(lat, 90).toFixed(2), p99: +pct(lat, 99).toFixed(2), max: +lat[lat.length - 1]!.toFixed(2) },
      serverProcessingMs: { median: pct(server, 50), p99: pct(server, 99) },
    };
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } finally {
    await agent.close();
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
