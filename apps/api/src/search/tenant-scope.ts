import { errors } from '../errors/catalog';
import { indexAllowed } from '../auth/permissions';
import { tenantFilter, tenantGrants, type Principal } from '../auth/principal';
import type { FacetSearchRequest } from './facet-search-params';
import { insideQuery } from './read-errors';
import type { SearchQuery } from './search-params';

// Tenant tokens on the read paths (docs/api-compatibility.md, tenant tokens): every search runs with
// the token's rule filter for its index ANDed with the client's filter, exactly as Meilisearch
// fuses them, so the filter the nodes see — and plan, merge and error messages — is the fused one.

/** `params` with the tenant token's rule for `indexUid` fused into its filter (unchanged otherwise). */
export function scopeToTenant(principal: Principal | undefined, indexUid: string, params: SearchQuery): SearchQuery {
  const filter = tenantFilter(principal, indexUid, params.filter);
  return filter === params.filter ? params : { ...params, filter };
}

/**
 * Multi-search and federated search: first every query's index is checked against the API key or
 * the token and its key (Meilisearch refuses the first one outside with `Inside \`.queries[i]\`: The provided API
 * key is invalid.`, before running any query), then each query gets its rule filter.
 */
export function scopeQueries<Q extends { readonly indexUid: string; readonly params: SearchQuery }>(queries: readonly Q[], principal: Principal | undefined): Q[] {
  if (principal?.kind !== 'key') return [...queries];
  // An API key restricted to some indexes is checked here too, query by query, with the same
  // wording (Meilisearch 1.50 checks multi-search indexes after parsing the body, not before).
  queries.forEach((q, i) => {
    if (!indexAllowed(principal.indexes, q.indexUid) || !tenantGrants(principal, q.indexUid)) throw insideQuery(i, errors.invalidApiKey());
  });
  if (!principal.searchRules) return [...queries];
  return queries.map((q, i) => {
    try {
      return { ...q, params: scopeToTenant(principal, q.indexUid, q.params) };
    } catch (err) {
      throw insideQuery(i, err);
    }
  });
}

/** Facet search: the documents whose values are counted are those the token lets the client search. */
export function scopeFacetSearch(principal: Principal | undefined, indexUid: string, req: FacetSearchRequest): FacetSearchRequest {
  const search = scopeToTenant(principal, indexUid, req.search);
  return search === req.search ? req : { ...req, search, nodeBody: { ...req.nodeBody, filter: search.filter } };
}
