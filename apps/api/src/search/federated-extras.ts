import { isFieldPathUnder, withoutField, type Hit } from '@miroir/core';
import type { SearchQuery } from './search-params';

// `federation.distinct` needs, in every hit, the value of the distinct attribute (to drop repeats
// across the whole merged list) and the values of the index's `facetsByIndex` attributes (to take
// a dropped hit off the facet counts), as Meilisearch reads them from the document whatever
// `attributesToRetrieve` says. Miroir asks the nodes for the fields the client's list leaves out
// and removes them from the hits it answers.

/** The fields of `needed` that `attributesToRetrieve` leaves out (none when it retrieves everything). */
export function missingFields(attributesToRetrieve: readonly string[] | null | undefined, needed: readonly string[]): string[] {
  if (attributesToRetrieve == null || attributesToRetrieve.includes('*')) return [];
  const out: string[] = [];
  for (const field of needed) {
    if (field === '*' || out.includes(field)) continue;
    if (!attributesToRetrieve.some((a) => isFieldPathUnder(field, a))) out.push(field);
  }
  return out;
}

/** The query asking the nodes for `extra` fields too. */
export function withExtraFields(params: SearchQuery, extra: readonly string[]): SearchQuery {
  if (extra.length === 0) return params;
  return { ...params, attributesToRetrieve: [...(params.attributesToRetrieve ?? []), ...extra] };
}

/** A hit without the fields Miroir asked for on its own account (in `_formatted` too). */
export function withoutExtraFields(hit: Hit, extra: readonly string[]): Hit {
  let out = hit;
  for (const field of extra) {
    out = withoutField(out, field);
    const formatted = out['_formatted'];
    if (typeof formatted === 'object' && formatted !== null && !Array.isArray(formatted)) out = { ...out, _formatted: withoutField(formatted as Hit, field) };
  }
  return out;
}

/** The query position Miroir's federated merge wrote in a hit's `_federation`. */
export function queryPositionOf(hit: Hit): number {
  const fed = hit['_federation'];
  const pos = typeof fed === 'object' && fed !== null ? (fed as { queriesPosition?: unknown }).queriesPosition : undefined;
  return typeof pos === 'number' ? pos : -1;
}
