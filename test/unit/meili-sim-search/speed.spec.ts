// An in-process speed probe over 100,000 documents of about 1 KB. It asserts nothing about time
// (timed assertions are flaky by nature); run it on demand with MEILI_SIM_SPEED=1 and read the
// timings it prints. bench/ holds the real benchmark through HTTP.

import { createSearchEngine, DEFAULT_SETTINGS } from '../../meili-sim/search';

const enabled = process.env['MEILI_SIM_SPEED'] === '1';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

(enabled ? describe : describe.skip)('meili-sim search speed (prints timings, asserts none)', () => {
  it('indexes 100k documents and answers typical searches', () => {
    const rand = rng(42);
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    const vocab = Array.from({ length: 30_000 }, () => {
      const len = 3 + Math.floor(rand() * 8);
      let w = '';
      for (let i = 0; i < len; i++) w += letters[Math.floor(rand() * 26)];
      return w;
    });
    // Zipf-like word frequencies, as in natural text.
    const zipf = (): string => vocab[Math.min(vocab.length - 1, Math.floor(Math.exp(rand() * Math.log(vocab.length))) - 1)]!;
    const sentence = (n: number): string => Array.from({ length: n }, zipf).join(' ');
    const N = Number(process.env['MEILI_SIM_DOCS'] ?? 100_000);
    const docs = Array.from({ length: N }, (_, i) => ({
      id: i,
      title: sentence(6),
      body: sentence(130),
      category: `cat${i % 20}`,
      price: Math.floor(rand() * 1000),
    }));
    const bytes = docs.reduce((acc, d) => acc + JSON.stringify(d).length, 0);
    const engine = createSearchEngine({ ...DEFAULT_SETTINGS, filterableAttributes: ['category', 'price'], sortableAttributes: ['price'] });
    const t0 = performance.now();
    for (const d of docs) engine.upsert(String(d.id), d);
    const indexMs = performance.now() - t0;

    const queries = Array.from({ length: 400 }, () => {
      const n = 1 + Math.floor(rand() * 3);
      const words = Array.from({ length: n }, zipf);
      if (rand() < 0.5) words[n - 1] = words[n - 1]!.slice(0, Math.max(2, words[n - 1]!.length - 2));
      return words.join(' ');
    });
    engine.search({ q: 'warmup' });
    const times: number[] = [];
    for (const q of queries) {
      const s = performance.now();
      engine.search({ q });
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    const pct = (p: number): string => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(2);
    const s2 = performance.now();
    engine.search({ q: queries[0]!, filter: 'category = cat3', facets: ['category'], sort: ['price:asc'] });
    const filtered = performance.now() - s2;
    // eslint-disable-next-line no-console
    console.log(
      `docs=${N} avgDocBytes=${Math.round(bytes / N)} index=${(indexMs / 1000).toFixed(1)}s ` +
        `search median=${pct(0.5)}ms p90=${pct(0.9)}ms p99=${pct(0.99)}ms max=${pct(1)}ms filtered+facets+sort=${filtered.toFixed(1)}ms ` +
        `heapMB=${Math.round(process.memoryUsage().heapUsed / 1e6)} rssMB=${Math.round(process.memoryUsage().rss / 1e6)}`,
    );
    expect(engine.search({ q: '', limit: 1 }).estimatedTotalHits).toBe(1000);
  });
});
