// POST /indexes/{uid}/facet-search across shards (docs/api-compatibility.md, facet search): each
// node answers the facet values of its own documents, with their counts; the merge sums the
// counts per value and then keeps, orders and caps the values exactly as one Meilisearch node
// does when it walks its facet database (milli's SearchForFacetValues and ValuesCollection).

import { compareCodePoints, normalizeFacet } from '../query';

/** One value of a facet-search answer: the value as written in a document, and its count. */
export interface FacetHit {
  readonly value: string;
  readonly count: number;
}

export interface FacetHitsOptions {
  /** The index's `faceting.maxValuesPerFacet` (default 100). */
  readonly maxValues: number;
  /** The facet's `faceting.sortFacetValuesBy` order. */
  readonly sortBy: 'alpha' | 'count';
}

interface Bucket {
  readonly key: string;
  value: string;
  count: number;
}

/**
 * Sums the counts of every node's facet hits per normalized value (a node counts only its own
 * documents; one document lives on one shard, so the sums are the counts over the union). The
 * same value spelled differently on two nodes ("Blue", "blue") is one value in Meilisearch: it is
 * counted once, under the spelling the first node (in input order) reported.
 */
function sumFacetHits(lists: readonly (readonly FacetHit[])[]): Bucket[] {
  const buckets = new Map<string, Bucket>();
  for (const list of lists) {
    for (const hit of list) {
      const key = normalizeFacet(hit.value);
      const bucket = buckets.get(key);
      if (bucket) bucket.count += hit.count;
      else buckets.set(key, { key, value: hit.value, count: hit.count });
    }
  }
  // Meilisearch walks its facet values in the byte order of their normalized form.
  return [...buckets.values()].sort((a, b) => compareCodePoints(a.key, b.key));
}

/** Rust's `Ord` of milli's FacetValueHit: by count, then by the value's bytes. */
function hitOrder(a: FacetHit, b: FacetHit): number {
  return a.count - b.count || compareCodePoints(a.value, b.value);
}

/**
 * `sortFacetValuesBy: count`: milli keeps the best `max` values in a min-heap, fed in normalized
 * order; a value whose count is at least the smallest kept one replaces it (so among equal counts
 * the later values win), and the result is listed by count then value, both descending.
 */
function topByCount(ordered: readonly FacetHit[], max: number): FacetHit[] {
  if (max <= 0) return [];
  const heap: FacetHit[] = [];
  const swap = (i: number, j: number): void => {
    [heap[i], heap[j]] = [heap[j]!, heap[i]!];
  };
  const down = (start: number): void => {
    for (let i = start; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && hitOrder(heap[l]!, heap[m]!) < 0) m = l;
      if (r < heap.length && hitOrder(heap[r]!, heap[m]!) < 0) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  for (const hit of ordered) {
    if (heap.length < max) {
      heap.push(hit);
      for (let i = heap.length - 1; i > 0; ) {
        const p = (i - 1) >> 1;
        if (hitOrder(heap[p]!, heap[i]!) <= 0) break;
        swap(i, p);
        i = p;
      }
    } else if (heap[0]!.count <= hit.count) {
      heap[0] = hit;
      down(0);
    }
  }
  return heap.sort((a, b) => hitOrder(b, a));
}

/**
 * The facet hits one Meilisearch node holding every shard would answer, from each node's hits.
 * Exact for `alpha` as long as each node answered its own first `maxValues` values (the values
 * before a kept one on any node are all before it globally too); exact for `count` when no node
 * had more than `maxValues` matching values (see docs/api-compatibility.md).
 */
export function mergeFacetHits(lists: readonly (readonly FacetHit[])[], options: FacetHitsOptions): FacetHit[] {
  const ordered = sumFacetHits(lists)
    .filter((b) => b.count > 0)
    .map((b): FacetHit => ({ value: b.value, count: b.count }));
  if (options.sortBy === 'count') return topByCount(ordered, options.maxValues);
  return ordered.slice(0, Math.max(0, options.maxValues));
}
