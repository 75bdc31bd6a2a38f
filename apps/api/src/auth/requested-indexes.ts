import type { FastifyRequest } from 'fastify';
import { parseJson } from '../http/json-body';

/**
 * The indexes a request touches, for checking them against an API key's `indexes`:
 *  - the `:uid` route parameter of every `/indexes/:uid…` route;
 *  - `POST /indexes`: the `uid` of the body (Meilisearch checks the index being created);
 *  - `POST /swap-indexes`: every index of every swap.
 * (`POST /multi-search` is checked query by query after its body is parsed, as Meilisearch does:
 * see scopeQueries in ../search/tenant-scope.ts.)
 * The body is parsed only for these routes, and only when the key is index-restricted (callers
 * skip this otherwise). A body that is not JSON names no index: the handler parses it the same way
 * and answers Meilisearch's `bad_request` before touching any index.
 */
export function requestedIndexes(request: FastifyRequest): string[] {
  const route = request.routeOptions?.url ?? '';
  // Only under /indexes is `:uid` an index: in `/tasks/:uid` it is a task uid, whose index the
  // tasks controller checks itself (a task of another index is `task_not_found`, as on Meilisearch).
  if (route.startsWith('/indexes/:uid')) {
    const uid = (request.params as Record<string, unknown> | undefined)?.uid;
    if (typeof uid === 'string') return [uid];
  }
  if (request.method !== 'POST') return [];
  switch (route) {
    case '/indexes': {
      const body = jsonBody(request) as { uid?: unknown } | null;
      return asUids([body?.uid]);
    }
    case '/swap-indexes': {
      const body = jsonBody(request);
      const swaps = Array.isArray(body) ? body : [];
      return asUids(swaps.flatMap((s) => (s && typeof s === 'object' && Array.isArray((s as { indexes?: unknown }).indexes) ? (s as { indexes: unknown[] }).indexes : [])));
    }
    default:
      return [];
  }
}

function jsonBody(request: FastifyRequest): unknown {
  try {
    return parseJson(request.body);
  } catch {
    return undefined;
  }
}

/** Index uids may be sent as integers; anything else is left for the handler to reject. */
function asUids(values: unknown[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    if (typeof v === 'string') out.push(v);
    else if (typeof v === 'number' && Number.isInteger(v)) out.push(String(v));
  }
  return [...new Set(out)];
}
