import { fuseFilters } from '@miroir/core';
import { errors } from '../errors/catalog';
import { MeiliError } from '../errors/meili-error';
import { indexAllowed } from './permissions';
import { ruleFor, rulesAuthorize, type SearchRules } from './search-rules';

/** Who the request is, as decided by the AuthGuard. */
export type Principal =
  /** No master key configured (development), or a @Public() route. */
  | { readonly kind: 'open' }
  | { readonly kind: 'master' }
  | { readonly kind: 'admin' }
  | {
      readonly kind: 'key';
      readonly uid: string;
      readonly actions: readonly string[];
      readonly indexes: readonly string[];
      /** Set when the request came with a tenant token signed by this key (its `searchRules`). */
      readonly searchRules?: SearchRules;
    };

// Keyed by the request object itself: nothing to declare on FastifyRequest, gone with the request.
const principals = new WeakMap<object, Principal>();

export function setPrincipal(request: object, principal: Principal): void {
  principals.set(request, principal);
}

/**
 * The principal of a request that went through the AuthGuard. Controllers of list routes use it
 * to show only what the key may see (GET /indexes, GET /tasks, GET /stats).
 */
export function principalOf(request: object): Principal | undefined {
  return principals.get(request);
}

/**
 * The index patterns the request is limited to, or `null` when it may see every index (master
 * key, open mode, or a key whose `indexes` contain `*`).
 */
export function indexScope(principal: Principal | undefined): readonly string[] | null {
  if (!principal || principal.kind !== 'key') return null;
  return principal.indexes.includes('*') ? null : principal.indexes;
}

/** May this request see index `uid` (in lists, stats, tasks)? */
export function canSeeIndex(request: object, uid: string): boolean {
  const scope = indexScope(principalOf(request));
  return scope === null || indexAllowed(scope, uid);
}

/** Does the request's tenant token (and the key that signed it) grant index `uid`? True without a token. */
export function tenantGrants(principal: Principal | undefined, uid: string): boolean {
  if (principal?.kind !== 'key' || !principal.searchRules) return true;
  return indexAllowed(principal.indexes, uid) && rulesAuthorize(principal.searchRules, uid);
}

/**
 * The filter a search on `indexUid` runs with: the client's, ANDed with the request's tenant-token
 * rule for that index as Meilisearch fuses them (docs/api-compatibility.md, tenant tokens); the
 * client's filter unchanged for any other request. Throws `invalid_api_key` when the token or its
 * key does not grant the index (multi-search queries; index routes were checked by the AuthGuard),
 * and, as Meilisearch words it for the route, when the token's rule is neither a string nor an array.
 */
export function tenantFilter(principal: Principal | undefined, indexUid: string, clientFilter: unknown, route: 'search' | 'similar' = 'search'): unknown {
  if (principal?.kind !== 'key' || !principal.searchRules) return clientFilter;
  if (!tenantGrants(principal, indexUid)) throw errors.invalidApiKey();
  const filter = fuseFilters(clientFilter, ruleFor(principal.searchRules, indexUid)?.filter);
  if (filter !== undefined && filter !== null && typeof filter !== 'string' && !Array.isArray(filter)) {
    const message = `Invalid syntax for the filter parameter: \`expected String, Array, found: ${JSON.stringify(filter)}\`.`;
    if (route === 'similar') throw new MeiliError('invalid_similar_filter', `Index \`${indexUid}\`: ${message}`);
    throw new MeiliError('invalid_search_filter', message);
  }
  return filter;
}

/** tenantFilter for the principal of `request` (what search controllers call). */
export function tenantFilterFor(request: object, indexUid: string, clientFilter: unknown, route: 'search' | 'similar' = 'search'): unknown {
  return tenantFilter(principalOf(request), indexUid, clientFilter, route);
}

/** The request's tenant-token rule filter for `indexUid` alone (undefined without a token or a rule). */
export function tenantRuleFilter(request: object, indexUid: string): unknown {
  const principal = principalOf(request);
  if (principal?.kind !== 'key' || !principal.searchRules || !tenantGrants(principal, indexUid)) return undefined;
  return ruleFor(principal.searchRules, indexUid)?.filter;
}
