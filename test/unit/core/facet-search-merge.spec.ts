import fc from 'fast-check';
import { compareCodePoints, mergeFacetHits, normalizeFacet, type FacetHit } from '@miroir/core';

// POST /facet-search over shards: each shard counts its own documents' values, the merge sums and
// caps them; the answer must equal what one node holding every document would count.

/** Values spelled one way each (the spelling a node reports is covered separately below). */
const VALUES = ['red', 'Blue', 'green', 'sci fi', 'sci-fi', 'Été', 'zeta', 'a', 'B', 'c', '10', 'true'];

type Doc = string[];

/** What one node answers: its documents' values and counts in its facet database's order. */
function nodeHits(docs: readonly Doc[], cap: number): FacetHit[] {
  const counts = new Map<string, number>();
  for (const doc of docs) for (const v of new Set(doc)) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => compareCodePoints(normalizeFacet(a.value), normalizeFacet(b.value)))
    .slice(0, cap);
}

/** milli's ValuesCollection::Count, written the naive way: linear search for the smallest kept hit. */
function naiveByCount(ordered: readonly FacetHit[], max: number): FacetHit[] {
  const order = (a: FacetHit, b: FacetHit): number => a.count - b.count || compareCodePoints(a.value, b.value);
  const kept: FacetHit[] = [];
  if (max === 0) return kept;
  for (const hit of ordered) {
    if (kept.length < max) kept.push(hit);
    else {
      let worst = 0;
      for (let i = 1; i < kept.length; i++) if (order(kept[i]!, kept[worst]!) < 0) worst = i;
      if (kept[worst]!.count <= hit.count) kept[worst] = hit;
    }
  }
  return kept.sort((a, b) => order(b, a));
}

/** One node with every document: count the union, then keep and order as milli does. */
function reference(docs: readonly Doc[], max: number, sortBy: 'alpha' | 'count'): FacetHit[] {
  const all = nodeHits(docs, Infinity);
  return sortBy === 'alpha' ? all.slice(0, max) : naiveByCount(all, max);
}

const docs = fc.array(fc.array(fc.constantFrom(...VALUES), { maxLength: 3 }), { maxLength: 60 });
const shardOf = fc.array(fc.nat(4), { minLength: 60, maxLength: 60 });

function split(all: readonly Doc[], assignment: readonly number[]): Doc[][] {
  const shards: Doc[][] = [[], [], [], [], []];
  all.forEach((d, i) => shards[assignment[i]!]!.push(d));
  return shards;
}

describe('facet-search merge', () => {
  it('alpha: merging each shard’s first maxValues values equals counting on the union', () => {
    fc.assert(
      fc.property(docs, shardOf, fc.integer({ min: 0, max: 14 }), (all, assignment, max) => {
        const lists = split(all, assignment).map((shard) => nodeHits(shard, max));
        expect(mergeFacetHits(lists, { maxValues: max, sortBy: 'alpha' })).toEqual(reference(all, max, 'alpha'));
      }),
    );
  });

  it('count: merging every shard’s counts equals counting on the union (ties kept as milli keeps them)', () => {
    fc.assert(
      fc.property(docs, shardOf, fc.integer({ min: 0, max: 14 }), (all, assignment, max) => {
        const lists = split(all, assignment).map((shard) => nodeHits(shard, Infinity));
        expect(mergeFacetHits(lists, { maxValues: max, sortBy: 'count' })).toEqual(reference(all, max, 'count'));
      }),
    );
  });

  it('matches Meilisearch 1.50 on equal counts: later values replace the smallest kept one', () => {
    const genres = ['Sci Fi', 'drama', 'Comedy', 'sci-fi', 'horror'].map((value) => ({ value, count: 20 }));
    // Checked against the binary: maxValuesPerFacet 2 and 4 with sortFacetValuesBy count.
    expect(mergeFacetHits([genres.slice(0, 2), genres.slice(2)], { maxValues: 2, sortBy: 'count' }).map((h) => h.value)).toEqual(['sci-fi', 'horror']);
    expect(mergeFacetHits([genres], { maxValues: 4, sortBy: 'count' }).map((h) => h.value)).toEqual(['sci-fi', 'horror', 'drama', 'Sci Fi']);
  });

  it('one value spelled differently on two shards is one value, under the first shard’s spelling', () => {
    const merged = mergeFacetHits(
      [
        [{ value: 'Red', count: 2 }],
        [
          { value: 'blue', count: 1 },
          { value: 'red', count: 3 },
        ],
      ],
      { maxValues: 10, sortBy: 'alpha' },
    );
    expect(merged).toEqual([
      { value: 'blue', count: 1 },
      { value: 'Red', count: 5 },
    ]);
  });
});
