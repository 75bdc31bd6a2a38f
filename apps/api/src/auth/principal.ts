import { indexAllowed } from './permissions';

/** Who the request is, as decided by the AuthGuard. */
export type Principal =
  /** No master key configured (development), or a @Public() route. */
  | { readonly kind: 'open' }
  | { readonly kind: 'master' }
  | { readonly kind: 'admin' }
  | { readonly kind: 'key'; readonly uid: string; readonly actions: readonly string[]; readonly indexes: readonly string[] };

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
