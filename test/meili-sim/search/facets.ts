// facetDistribution and facetStats over every matching document, as milli's FacetDistribution:
// numbers are keyed by their decimal form, strings by the original text of the first document
// (lowest internal id) holding that normalised value, booleans as "true"/"false". Values are
// listed numbers first then strings in normalised order ('alpha') or by count ('count'), at most
// faceting.maxValuesPerFacet per facet. Meilisearch 1.50 orders numbers by their text, not their
// value ("10" before "2"), which decides which ones survive the maxValuesPerFacet cut. Stats are
// the min/max of the numeric values.

import { compareCodePoints, facetsNotFilterableMessage, fieldValues, isFilterable, normalizeFacet } from './core-query';
import { SimError } from '../errors';
import type { Doc, IndexSettings } from './types';

export interface FacetResult {
  distribution: Record<string, Record<string, number>>;
  stats: Record<string, { min: number; max: number }>;
}

/** The facet names to compute; throws invalid_search_facets for non-filterable ones. */
export function resolveFacetNames(facets: readonly string[], settings: IndexSettings, knownFields: readonly string[]): string[] {
  if (facets.includes('*')) {
    const leaves = knownFields.filter((f) => isFilterable(f, settings.filterableAttributes));
    // An object attribute that is filterable itself (`_geo`) is listed too, with no values.
    const objects = settings.filterableAttributes.filter((a) => !a.includes('*') && !knownFields.includes(a) && knownFields.some((f) => f.startsWith(`${a}.`)));
    return [...new Set([...objects, ...leaves])];
  }
  const invalid = [...new Set(facets.filter((f) => !isFilterable(f, settings.filterableAttributes)))].sort(compareCodePoints);
  if (invalid.length > 0) throw new SimError('invalid_search_facets', facetsNotFilterableMessage(invalid, settings.filterableAttributes), 400);
  return [...new Set(facets)];
}

interface ValueCount {
  key: string;
  original: string;
  count: number;
}

/** Rust's f64 Display for the facet key of a number (integers without a fraction part). */
function numberKey(n: number): string {
  return Object.is(n, -0) ? '0' : String(n);
}

export function computeFacets(names: readonly string[], docs: readonly Doc[], settings: IndexSettings): FacetResult {
  const distribution: Record<string, Record<string, number>> = {};
  const stats: Record<string, { min: number; max: number }> = {};
  for (const name of names) {
    const numbers = new Map<number, number>();
    const strings = new Map<string, ValueCount>();
    let min = Infinity;
    let max = -Infinity;
    for (const doc of docs) {
      const seenNum = new Set<number>();
      const seenStr = new Set<string>();
      for (const v of fieldValues(doc, name)) {
        if (typeof v === 'number' && Number.isFinite(v)) {
          if (seenNum.has(v)) continue;
          seenNum.add(v);
          numbers.set(v, (numbers.get(v) ?? 0) + 1);
          if (v < min) min = v;
          if (v > max) max = v;
        } else if (typeof v === 'string' || typeof v === 'boolean') {
          const original = typeof v === 'boolean' ? String(v) : v;
          const key = normalizeFacet(original);
          if (key === '' || seenStr.has(key)) continue;
          seenStr.add(key);
          const entry = strings.get(key);
          if (entry === undefined) strings.set(key, { key, original: original.trim(), count: 1 });
          else entry.count++;
        }
      }
    }
    const order = settings.faceting.sortFacetValuesBy[name] ?? settings.faceting.sortFacetValuesBy['*'] ?? 'alpha';
    const entries: Array<{ label: string; count: number }> = [
      ...[...numbers.entries()].map(([n, count]) => ({ label: numberKey(n), count })).sort((a, b) => compareCodePoints(a.label, b.label)),
      ...[...strings.values()].sort((a, b) => compareCodePoints(a.key, b.key)).map((e) => ({ label: e.original, count: e.count })),
    ];
    if (order === 'count') entries.sort((a, b) => b.count - a.count);
    const dist: Record<string, number> = {};
    for (const e of entries.slice(0, settings.faceting.maxValuesPerFacet)) dist[e.label] = e.count;
    distribution[name] = dist;
    if (numbers.size > 0) stats[name] = { min, max };
  }
  return { distribution, stats };
}
