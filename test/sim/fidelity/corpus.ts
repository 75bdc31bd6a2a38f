// The fidelity suite's data: a deterministic corpus (same seed → same documents on every machine)
// and the index settings loaded into both the real node and the dev node.

export type Doc = Record<string, unknown>;

/** mulberry32: tiny, seedable, and identical across Node versions (Math.random is not seedable). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Long words (≥ 9 letters allow two typos, ≥ 5 one), short ones (no typo), and some sharing
// prefixes ("drag…", "star…") so prefix search has several expansions to rank.
export const WORDS = [
  'adventure', 'mystery', 'dragon', 'dragonfly', 'knight', 'galaxy', 'summer', 'winter', 'kingdom',
  'forest', 'shadow', 'ocean', 'journey', 'legend', 'secret', 'crystal', 'thunder', 'phoenix',
  'star', 'starlight', 'stardust', 'river', 'mountain', 'castle', 'wizard', 'robot', 'pirate',
  'island', 'empire', 'garden', 'silver', 'golden', 'midnight', 'storm', 'fire', 'ice', 'sky',
  'love', 'war', 'city', 'night', 'dream', 'hunter', 'queen', 'king', 'ghost', 'planet', 'sea',
  'extraordinary', 'unbelievable', 'wonderful', 'beautiful',
];
const STOP = ['the', 'of', 'a', 'and', 'in'];
const GENRES = ['action', 'drama', 'comedy', 'horror', 'romance', 'sci-fi', 'fantasy', 'Documentary', 'thriller', 'animation'];
const COUNTRIES = ['France', 'USA', 'Japan', 'Brazil', 'India', 'Korea'];
const FIRST = ['Ana', 'Ben', 'Chloé', 'Dev', 'Emil', 'Fatima', 'Goro', 'Hana', 'Ivan', 'Jules'];
const SERIES = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];

export const DOC_COUNT = 800;

export function buildCorpus(): Doc[] {
  const r = rng(20240513);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const phrase = (min: number, max: number, stops: boolean): string => {
    const n = min + Math.floor(r() * (max - min + 1));
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      if (stops && i > 0 && r() < 0.25) out.push(pick(STOP));
      out.push(pick(WORDS));
    }
    return out.join(' ');
  };
  const docs: Doc[] = [];
  for (let i = 1; i <= DOC_COUNT; i++) {
    const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
    const doc: Doc = {
      id: i,
      title: cap(phrase(1, 4, true)),
      overview: cap(phrase(6, 20, true)) + '.',
      genres: Array.from(new Set(Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(GENRES)))),
      year: 1950 + Math.floor(r() * 75),
      rating: Math.round(r() * 100) / 10,
      available: r() < 0.6,
      director: { name: `${pick(FIRST)} ${cap(pick(WORDS))}`, country: pick(COUNTRIES) },
      series: pick(SERIES),
    };
    // Missing, null, empty and present values, so EXISTS / IS NULL / IS EMPTY and sorting on
    // missing values all have documents on every side.
    const t = r();
    if (t < 0.15) doc['tags'] = [];
    else if (t < 0.25) doc['tags'] = null;
    else if (t < 0.85) doc['tags'] = Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(WORDS));
    const p = r();
    if (p < 0.2) doc['price'] = null;
    else if (p < 0.8) doc['price'] = Math.round(r() * 5000) / 100;
    if (r() < 0.1) doc['subtitle'] = '';
    else if (r() < 0.5) doc['subtitle'] = phrase(2, 5, false);
    if (r() < 0.7) doc['_geo'] = { lat: Math.round((40 + r() * 10) * 1e4) / 1e4, lng: Math.round((-5 + r() * 15) * 1e4) / 1e4 };
    docs.push(doc);
  }
  // Hand-written documents for exact, phrase, synonym and stop-word cases.
  docs.push(
    { id: 9001, title: 'The Lord of the Rings', overview: 'A hobbit and a ring of power.', genres: ['fantasy'], year: 2001, rating: 8.8, available: true, director: { name: 'Peter Jackson', country: 'New Zealand' }, series: 'lotr', tags: ['ring'], price: 9.99 },
    { id: 9002, title: 'Lord of War', overview: 'An arms dealer of the world.', genres: ['drama'], year: 2005, rating: 7.6, available: false, director: { name: 'Andrew Niccol', country: 'USA' }, series: 'solo', price: 4.5 },
    { id: 9003, title: 'Spaceship Odyssey', overview: 'A spacecraft travels far beyond the moon.', genres: ['sci-fi'], year: 1968, rating: 8.3, available: true, director: { name: 'Stanley K', country: 'UK' }, series: 'odyssey' },
    { id: 9004, title: 'Starship Troopers', overview: 'Soldiers fight bugs on a starship.', genres: ['sci-fi', 'action'], year: 1997, rating: 7.3, available: true, director: { name: 'Paul V', country: 'Netherlands' }, series: 'odyssey', tags: [] },
    { id: 9005, title: 'Phone Home', overview: 'A smartphone lost in the city.', genres: ['comedy'], year: 2015, rating: 5.1, available: true, director: { name: 'Ana Robot', country: 'France' }, series: 'alpha', price: null },
  );
  return docs;
}

export const SETTINGS = {
  searchableAttributes: ['title', 'subtitle', 'overview', 'director.name', 'tags'],
  displayedAttributes: ['*'],
  filterableAttributes: ['genres', 'year', 'rating', 'available', 'director.country', 'tags', 'price', 'series', 'subtitle', '_geo'],
  sortableAttributes: ['year', 'rating', 'price', 'title', '_geo'],
  rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness', 'rating:desc'],
  stopWords: ['the', 'of', 'a', 'and', 'in'],
  synonyms: { spaceship: ['spacecraft', 'starship'], spacecraft: ['spaceship'], phone: ['smartphone'] },
  distinctAttribute: null,
  typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 }, disableOnWords: ['robot'], disableOnAttributes: ['director.name'] },
  pagination: { maxTotalHits: 500 },
  faceting: { maxValuesPerFacet: 50, sortFacetValuesBy: { '*': 'alpha', genres: 'count' } },
};

/** A second, small index for multi-search and federation. */
export function buildBooks(): Doc[] {
  const r = rng(77);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  return Array.from({ length: 120 }, (_, i) => ({
    isbn: `b-${1000 + i}`,
    title: `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)}`,
    author: `${pick(FIRST)} ${pick(WORDS)}`,
    pages: 80 + Math.floor(r() * 900),
  }));
}

export const BOOK_SETTINGS = {
  searchableAttributes: ['title', 'author'],
  filterableAttributes: ['pages'],
  sortableAttributes: ['pages'],
};
