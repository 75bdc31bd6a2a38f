// The corpus and queries shared by the cluster benchmarks: the same synthetic movie documents and
// realistic queries as bench/meili-sim-search.ts (Zipf vocabulary, 1–3 words, prefixes, typos,
// some filters/facets/sorts), from a seeded PRNG so every run and every target sees the same data.

export type Doc = Record<string, unknown>;
export type Query = Record<string, unknown>;

export interface Corpus {
  doc(i: number): Doc;
  query(): Query;
}

export const INDEX_SETTINGS = {
  filterableAttributes: ['genres', 'year', 'language'],
  sortableAttributes: ['rating', 'year'],
} as const;

const SYL = ['ka', 'lo', 'mi', 're', 'sa', 'to', 'ne', 'vi', 'da', 'ru', 'pe', 'lin', 'mor', 'tan', 'ber', 'sol', 'gar', 'en', 'ist', 'on', 'al', 'ic', 'ver', 'stra', 'ph', 'qu', 'ex', 'ul'];
const GENRES = ['drama', 'comedy', 'action', 'thriller', 'romance', 'horror', 'documentary', 'animation', 'fantasy', 'science-fiction'];
const LANGS = ['en', 'fr', 'de', 'es', 'ja', 'it'];

/** A deterministic corpus: documents depend only on (seed, call order). */
export function createCorpus(seed = 0x5eed): Corpus {
  let s = seed;
  // mulberry32: tiny, fast and good enough for synthetic text.
  const rand = (): number => {
    s |= 0;
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const vocab = [...new Set(Array.from({ length: 7000 }, () => Array.from({ length: 2 + Math.floor(rand() * 3) }, () => pick(SYL)).join('')))].slice(0, 5000);
  const rank = new Map(vocab.map((w, i) => [w, i]));
  let acc = 0;
  const weights = vocab.map((_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const cdf = weights.map((w) => (acc += w / total));
  const zipfWord = (): string => {
    const r = rand();
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return vocab[lo]!;
  };
  const words = (n: number): string => Array.from({ length: n }, zipfWord).join(' ');
  // Users rarely type the 100 most frequent words alone: they play the part of stop words.
  const queryWord = (): string => {
    for (;;) {
      const w = zipfWord();
      if (rank.get(w)! >= 100) return w;
    }
  };

  return {
    doc: (i) => ({
      id: i,
      title: words(2 + Math.floor(rand() * 4)),
      overview: words(110 + Math.floor(rand() * 30)),
      genres: [pick(GENRES), pick(GENRES)],
      year: 1950 + Math.floor(rand() * 75),
      rating: Math.round(rand() * 100) / 10,
      director: words(2),
      language: pick(LANGS),
    }),
    query: () => {
      const ws = Array.from({ length: 1 + Math.floor(rand() * 3) }, queryWord);
      const r = rand();
      const last = ws[ws.length - 1]!;
      if (r < 0.3) ws[ws.length - 1] = last.slice(0, Math.max(2, last.length - 2)); // still typing: prefix
      else if (r < 0.4 && ws[0]!.length >= 5) ws[0] = ws[0]!.slice(0, 2) + ws[0]![3] + ws[0]![2] + ws[0]!.slice(4); // swapped letters
      const q: Query = { q: ws.join(' '), limit: 20 };
      const f = rand();
      if (f < 0.2) q.filter = `genres = ${pick(GENRES)} AND year >= ${1960 + Math.floor(rand() * 50)}`;
      else if (f < 0.3) q.facets = ['genres', 'language'];
      else if (f < 0.35) q.sort = ['rating:desc'];
      return q;
    },
  };
}

/** JSON bodies of `docs` documents in batches of `batch`, generated before any timing starts. */
export function batches(corpus: Corpus, docs: number, batch: number, from = 0): string[] {
  const out: string[] = [];
  for (let i = 0; i < docs; i += batch) {
    out.push(JSON.stringify(Array.from({ length: Math.min(batch, docs - i) }, (_, j) => corpus.doc(from + i + j))));
  }
  return out;
}
