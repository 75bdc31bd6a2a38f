// Issue 3, acceptance item 2: a corpus split over 2-5 engines, each engine's hits merged by
// `_rankingScore`, ranks like one engine holding the whole corpus (equal scores may swap), and
// facet counts summed over the engines equal the single engine's.

import fc from 'fast-check';
import { createSearchEngine, DEFAULT_SETTINGS } from '../../meili-sim/search';
import type { Doc, IndexSettings, SearchEngine, SearchParams } from '../../meili-sim/search/types';

const VOCAB = ['apple', 'apples', 'appel', 'banana', 'bananas', 'cherry', 'chery', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima', 'mike', 'november', 'novembre', 'oscar', 'the', 'a', 'of'];

const text = fc.array(fc.constantFrom(...VOCAB), { minLength: 0, maxLength: 8 }).map((ws) => ws.join(' '));
const color = fc.constantFrom('red', 'blue', 'green', 'black');

const corpus = fc.uniqueArray(
  fc.record({ id: fc.integer({ min: 1, max: 10_000 }), title: text, body: text, color, size: fc.integer({ min: 0, max: 5 }), tags: fc.array(color, { maxLength: 3 }) }),
  { minLength: 1, maxLength: 60, selector: (d) => d.id },
);

const query = fc
  .array(fc.constantFrom(...VOCAB, 'ban', 'che', 'nov', 'appl', 'bananna'), { minLength: 1, maxLength: 4 })
  .map((ws) => ws.join(' '));

function build(docs: Doc[], settings: IndexSettings): SearchEngine {
  const e = createSearchEngine(settings);
  for (const d of docs) e.upsert(String(d['id']), d);
  return e;
}

/** Groups of ids with equal scores, in order: the ranking up to swaps of equal scores. */
function tiers(hits: Doc[]): Array<{ score: number; ids: string[] }> {
  const out: Array<{ score: number; ids: string[] }> = [];
  for (const h of hits) {
    const score = h['_rankingScore'] as number;
    const last = out[out.length - 1];
    if (last !== undefined && last.score === score) last.ids.push(String(h['id']));
    else out.push({ score, ids: [String(h['id'])] });
  }
  return out.map((t) => ({ score: t.score, ids: t.ids.sort() }));
}

function checkMerge(settings: IndexSettings, docs: Doc[], assignment: number[], shards: number, q: string, strategy: SearchParams['matchingStrategy']): void {
  const params: SearchParams = { q, limit: 1000, showRankingScore: true, facets: ['color', 'tags', 'size'], matchingStrategy: strategy };
  const whole = build(docs, settings).search(params);
  const parts = Array.from({ length: shards }, (_, s) => build(docs.filter((_, i) => assignment[i]! % shards === s), settings).search(params));

  // Merge by score, descending (stable; ties compared as sets below).
  const merged = parts.flatMap((p) => p.hits).sort((a, b) => (b['_rankingScore'] as number) - (a['_rankingScore'] as number));
  expect(tiers(merged)).toEqual(tiers(whole.hits));
  // The single engine's own order is consistent with its scores.
  const scores = whole.hits.map((h) => h['_rankingScore'] as number);
  expect([...scores].sort((a, b) => b - a)).toEqual(scores);

  const summed: Record<string, Record<string, number>> = {};
  for (const p of parts) {
    for (const [facet, dist] of Object.entries(p.facetDistribution ?? {})) {
      summed[facet] ??= {};
      for (const [value, n] of Object.entries(dist)) summed[facet]![value] = (summed[facet]![value] ?? 0) + n;
    }
  }
  expect(summed).toEqual(whole.facetDistribution);
}

describe('meili-sim search: merging shards by _rankingScore', () => {
  const settings: IndexSettings = {
    ...DEFAULT_SETTINGS,
    searchableAttributes: ['title', 'body'],
    filterableAttributes: ['color', 'tags', 'size'],
    stopWords: ['the', 'of'],
    synonyms: { banana: ['cherry'] },
  };

  it('equals one engine over the whole corpus (explicit searchable attributes)', () => {
    fc.assert(
      fc.property(
        corpus,
        fc.array(fc.nat(), { minLength: 60, maxLength: 60 }),
        fc.integer({ min: 2, max: 5 }),
        query,
        fc.constantFrom<SearchParams['matchingStrategy']>('last', 'all'),
        (docs, assignment, shards, q, strategy) => checkMerge(settings, docs, assignment, shards, q, strategy),
      ),
      { numRuns: 150 },
    );
  });

  it("equals one engine over the whole corpus (searchableAttributes ['*'], same fields in every document)", () => {
    fc.assert(
      fc.property(corpus, fc.array(fc.nat(), { minLength: 60, maxLength: 60 }), fc.integer({ min: 2, max: 5 }), query, (docs, assignment, shards, q) =>
        checkMerge({ ...settings, searchableAttributes: ['*'] }, docs, assignment, shards, q, 'last'),
      ),
      { numRuns: 100 },
    );
  });
});
