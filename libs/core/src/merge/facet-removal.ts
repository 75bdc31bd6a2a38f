// `federation.distinct` drops hits after the facets were counted; Meilisearch 1.50 then takes each
// dropped hit's values off the facet distribution (its ComputedFacets::remove_hits): one per value
// the hit holds, a value reaching zero leaves the distribution. Facet stats are left as they are.

import { fieldValues, normalizeFacet } from '../query';
import type { FacetDistribution } from './facets';
import type { Hit } from './ranking';

/** The distribution key a hit's value counts under: a number by its text, a string by its normalized form. */
function keyFinder(values: Readonly<Record<string, number>>): (v: unknown) => string | undefined {
  const byNormalized = new Map<string, string>();
  for (const key of Object.keys(values)) if (!byNormalized.has(normalizeFacet(key))) byNormalized.set(normalizeFacet(key), key);
  return (v) => {
    if (typeof v === 'number' && Number.isFinite(v)) return String(v) in values ? String(v) : undefined;
    if (typeof v === 'string' || typeof v === 'boolean') return byNormalized.get(normalizeFacet(String(v)));
    return undefined;
  };
}

/** `distribution` without the counts of `hits` (a new object; key order kept). */
export function removeHitsFromDistribution(distribution: FacetDistribution, hits: readonly Hit[]): FacetDistribution {
  if (hits.length === 0) return distribution;
  const out: FacetDistribution = {};
  for (const [facet, values] of Object.entries(distribution)) {
    const counts = { ...values };
    const find = keyFinder(values);
    for (const hit of hits) {
      for (const v of fieldValues(hit, facet)) {
        const key = find(v);
        if (key !== undefined && counts[key] !== undefined) counts[key] = Math.max(0, counts[key]! - 1);
      }
    }
    out[facet] = Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== 0));
  }
  return out;
}
