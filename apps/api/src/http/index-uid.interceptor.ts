import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { assertIndexUid } from '../indexes/index-uid';

/**
 * Every `/indexes/:uid/…` route: a uid Meilisearch would refuse (bad characters, a NUL byte, more
 * than 512 bytes) gets `invalid_index_uid` here, once, before any handler, database or node sees it.
 */
@Injectable()
export class IndexUidInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const params = context.switchToHttp().getRequest<FastifyRequest>().params as Record<string, string> | undefined;
    if (params && typeof params.uid === 'string') assertIndexUid(params.uid);
    return next.handle();
  }
}
