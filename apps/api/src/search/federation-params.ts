import { MeiliError } from '../errors/meili-error';
import { readErrors } from './read-errors';

// Edge validation of a federated multi-search: the `federation` object, and what a query may not
// hold once it is federated, with Meilisearch 1.50's codes, wording and order of checks.

export interface Federation {
  readonly offset?: number;
  readonly limit?: number;
  readonly page?: number;
  readonly hitsPerPage?: number;
  readonly facetsByIndex?: Record<string, string[]>;
  readonly mergeFacets?: { maxValuesPerFacet?: number };
  /** One hit per value of this attribute over the merged list (docs/api-compatibility.md). */
  readonly distinct?: string;
  readonly showPerformanceDetails?: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** In Meilisearch's order, which its unknown-field message lists. */
export const FEDERATION_FIELDS = ['limit', 'offset', 'page', 'hitsPerPage', 'facetsByIndex', 'mergeFacets', 'distinct', 'showPerformanceDetails', 'personalize'];

function facetsByIndex(fbi: unknown): Record<string, string[]> {
  if (!isObject(fbi)) throw readErrors.invalidType('invalid_multi_search_facets_by_index', '.federation.facetsByIndex', 'an object', fbi);
  for (const [uid, facets] of Object.entries(fbi)) {
    if (facets === null) continue;
    if (!Array.isArray(facets) || facets.some((f) => typeof f !== 'string')) {
      throw readErrors.invalidType('invalid_multi_search_facets_by_index', `.federation.facetsByIndex.${uid}`, 'an array of strings', facets);
    }
  }
  return Object.fromEntries(Object.entries(fbi).filter(([, f]) => f !== null)) as Record<string, string[]>;
}

function mergeFacets(mf: unknown): { maxValuesPerFacet?: number } {
  if (!isObject(mf)) throw readErrors.invalidType('invalid_multi_search_merge_facets', '.federation.mergeFacets', 'an object', mf);
  const max = mf['maxValuesPerFacet'];
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 0)) {
    throw readErrors.invalidType('invalid_multi_search_max_values_per_facet', '.federation.mergeFacets.maxValuesPerFacet', 'a positive integer', max);
  }
  return max === undefined ? {} : { maxValuesPerFacet: max };
}

export function parseFederation(v: unknown): Federation {
  if (!isObject(v)) throw readErrors.invalidType('invalid_multi_search_federated', '.federation', 'an object', v);
  for (const k of Object.keys(v)) if (!FEDERATION_FIELDS.includes(k)) throw readErrors.unknownField(k, FEDERATION_FIELDS, '.federation');
  const out: Record<string, unknown> = {};
  for (const k of ['offset', 'limit', 'page', 'hitsPerPage']) {
    const n = v[k];
    if (n === undefined || n === null) continue;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      throw readErrors.invalidType(`invalid_search_${k === 'hitsPerPage' ? 'hits_per_page' : k}`, `.federation.${k}`, 'a positive integer', n);
    }
    out[k] = n;
  }
  if (v['facetsByIndex'] !== undefined && v['facetsByIndex'] !== null) out['facetsByIndex'] = facetsByIndex(v['facetsByIndex']);
  if (v['mergeFacets'] !== undefined && v['mergeFacets'] !== null) out['mergeFacets'] = mergeFacets(v['mergeFacets']);
  const distinct = v['distinct'];
  if (distinct !== undefined && distinct !== null) {
    if (typeof distinct !== 'string') throw readErrors.invalidType('invalid_search_distinct', '.federation.distinct', 'a string', distinct);
    out['distinct'] = distinct;
  }
  const perf = v['showPerformanceDetails'];
  if (perf !== undefined) {
    if (typeof perf !== 'boolean') throw readErrors.invalidType('invalid_search_show_performance_details', '.federation.showPerformanceDetails', 'a boolean', perf);
    out['showPerformanceDetails'] = perf;
  }
  if (v['personalize'] !== undefined && v['personalize'] !== null) {
    // Personalization is a Meilisearch Cloud feature: a node answers it as not enabled.
    throw new MeiliError(
      'feature_not_enabled',
      'reranking search results requires enabling the `personalization` experimental feature. See https://github.com/orgs/meilisearch/discussions/866',
    );
  }
  return out as Federation;
}

/**
 * What a federated query may not hold, checked in Meilisearch's order: pagination, facets,
 * performance details (asked on the federation instead), and a `distinct` when the federation
 * has one. `rest` is the validated query without indexUid and federationOptions.
 */
export function checkFederatedQuery(rest: Record<string, unknown>, indexUid: string, i: number, federation: Federation): void {
  const path = `.queries[${i}]`;
  const paging = ['offset', 'limit', 'page', 'hitsPerPage'].find((k) => rest[k] !== undefined);
  if (paging !== undefined) {
    throw new MeiliError(
      'invalid_multi_search_query_pagination',
      `Inside \`${path}\`: Using pagination options is not allowed in federated queries.\n - Hint: remove \`${paging}\` from the query or remove \`federation\` from the request\n - Hint: pass \`federation.limit\` and \`federation.offset\` for pagination in federated search`,
    );
  }
  if (Array.isArray(rest['facets']) && rest['facets'].length > 0) {
    throw new MeiliError(
      'invalid_multi_search_query_facets',
      `Inside \`${path}\`: Using facet options is not allowed in federated queries.\n - Hint: remove \`facets\` from the query or remove \`federation\` from the request\n - Hint: pass \`federation.facetsByIndex.${indexUid}: ${JSON.stringify(rest['facets'])}\` for facets in federated search`,
    );
  }
  if (rest['showPerformanceDetails'] !== undefined && rest['showPerformanceDetails'] !== null) {
    throw new MeiliError(
      'invalid_multi_search_query_show_performance_details',
      `Inside \`${path}\`: Using \`.showPerformanceDetails\` is not allowed in federated queries.\n - Hint: remove \`showPerformanceDetails\` from the query or remove \`federation\` from the request`,
    );
  }
  if (federation.distinct !== undefined && rest['distinct'] !== undefined && rest['distinct'] !== null) {
    throw new MeiliError(
      'invalid_multi_search_distinct',
      `Inside \`${path}\`: Using \`distinct\` options is not allowed in federated queries when it also appears in \`.federation.distinct\`.\n - Hint: remove \`distinct\` from the query or remove \`federation\` from the request\n  - Note: \`distinct\` at the query level is discouraged in federated search.`,
    );
  }
}
