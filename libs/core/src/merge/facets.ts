// Facet distributions and stats across shards (docs/design.md#read-path): counts summed per facet value (values
// present on one shard only included), stats merged by min/max, reserved attributes dropped.

import { compareCodePoints, normalizeFacet } from '../query';
import { isReservedField } from '../reserved';

export type FacetDistribution = Record<string, Record<string, number>>;
export type FacetStats = Record<string, { min: number; max: number }>;

export interface FacetingOptions {
  /** Meilisearch's `faceting.maxValuesPerFacet` (default 100). */
  readonly maxValuesPerFacet?: number;
  /** Meilisearch's `faceting.sortFacetValuesBy` (`{"*": "alpha"}` by default). */
  readonly sortFacetValuesBy?: Readonly<Record<string, 'alpha' | 'count'>>;
}

interface Bucket {
  key: string;
  count: number;
  numeric: number | null;
  normalized: string;
}

/** Meilisearch lists numeric facet values first (ascending), then strings by normalized bytes. */
function alphaOrder(a: Bucket, b: Bucket): number {
  if (a.numeric !== null || b.numeric !== null) {
    if (a.numeric === null) return 1;
    if (b.numeric === null) return -1;
    return a.numeric - b.numeric;
  }
  return compareCodePoints(a.normalized, b.normalized);
}

const NUMERIC_KEY = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

/**
 * Sums the distributions of every shard. The same value spelled differently on two shards
 * ("Blue", "blue") is one facet value in Meilisearch: it is counted once, under the spelling of
 * the first shard (in input order) that reported it.
 */
export function mergeFacetDistributions(
  distributions: readonly (FacetDistribution | undefined)[],
  options: FacetingOptions = {},
): FacetDistribution | undefined {
  if (distributions.every((d) => d === undefined)) return undefined;
  const max = options.maxValuesPerFacet ?? 100;
  const facets = new Map<string, Map<string, Bucket>>();
  for (const dist of distributions) {
    if (!dist) continue;
    for (const facet of Object.keys(dist)) {
      if (isReservedField(facet)) continue;
      let buckets = facets.get(facet);
      if (!buckets) {
        buckets = new Map();
        facets.set(facet, buckets);
      }
      const values = dist[facet]!;
      for (const key of Object.keys(values)) {
        const normalized = normalizeFacet(key);
        const bucket = buckets.get(normalized);
        if (bucket) bucket.count += values[key]!;
        else {
          buckets.set(normalized, {
            key,
            count: values[key]!,
            numeric: NUMERIC_KEY.test(key) ? Number(key) : null,
            normalized,
          });
        }
      }
    }
  }
  const out: FacetDistribution = {};
  for (const [facet, buckets] of facets) {
    const sortBy = options.sortFacetValuesBy?.[facet] ?? options.sortFacetValuesBy?.['*'] ?? 'alpha';
    const ordered = [...buckets.values()].sort(alphaOrder);
    if (sortBy === 'count') ordered.sort((a, b) => b.count - a.count);
    const values: Record<string, number> = {};
    for (const b of ordered.slice(0, max)) values[b.key] = b.count;
    out[facet] = values;
  }
  return out;
}

export function mergeFacetStats(stats: readonly (FacetStats | undefined)[]): FacetStats | undefined {
  if (stats.every((s) => s === undefined)) return undefined;
  const out: FacetStats = {};
  for (const s of stats) {
    if (!s) continue;
    for (const facet of Object.keys(s)) {
      if (isReservedField(facet)) continue;
      const { min, max } = s[facet]!;
      const cur = out[facet];
      out[facet] = cur ? { min: Math.min(cur.min, min), max: Math.max(cur.max, max) } : { min, max };
    }
  }
  return out;
}
