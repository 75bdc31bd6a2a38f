import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
import { indexAllowed } from './permissions';
import { indexScope, principalOf } from './principal';

type Filter = (body: Record<string, unknown>, scope: readonly string[]) => void;

const byField =
  (field: string): Filter =>
  (body, scope) => {
    if (!Array.isArray(body.results)) return;
    body.results = body.results.filter((item: unknown) => {
      const uid = item && typeof item === 'object' ? (item as Record<string, unknown>)[field] : undefined;
      // Entries without an index (e.g. dump tasks) belong to no index the key may see.
      return typeof uid === 'string' && indexAllowed(scope, uid);
    });
  };

/** List routes whose answers name indexes, and how to trim them for an index-restricted key. */
const FILTERS: Readonly<Partial<Record<string, Filter>>> = {
  'GET /indexes': byField('uid'),
  'GET /tasks': byField('indexUid'),
  'GET /batches': (body, scope) => {
    if (!Array.isArray(body.results)) return;
    body.results = body.results.filter((b: unknown) => {
      const indexes = (b as { stats?: { indexUids?: Record<string, unknown> } })?.stats?.indexUids;
      return indexes !== undefined && Object.keys(indexes).every((uid) => indexAllowed(scope, uid));
    });
  },
  'GET /stats': (body, scope) => {
    const indexes = body.indexes;
    if (!indexes || typeof indexes !== 'object') return;
    body.indexes = Object.fromEntries(Object.entries(indexes).filter(([uid]) => indexAllowed(scope, uid)));
  },
};

/**
 * Safety net for API keys restricted to some indexes (`indexes: ["movies*"]`): list answers that
 * name indexes are trimmed to those the key may see, as Meilisearch does. The controllers should
 * filter in their queries (see principalOf/indexScope) so that `total` and paging are exact; this
 * interceptor guarantees no other index leaks even where they do not. Master key, open mode and
 * keys with `indexes: ["*"]` pass untouched and cost nothing.
 */
@Injectable()
export class IndexVisibilityInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const filter = FILTERS[`${request.method} ${request.routeOptions?.url ?? ''}`];
    const scope = filter ? indexScope(principalOf(request)) : null;
    if (!filter || scope === null) return next.handle();
    return next.handle().pipe(
      map((body: unknown) => {
        if (!body || typeof body !== 'object' || Array.isArray(body) || Buffer.isBuffer(body)) return body;
        // A shallow copy: the handler may have returned a cached object.
        const copy = { ...(body as Record<string, unknown>) };
        filter(copy, scope);
        return copy;
      }),
    );
  }
}
