import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { from, mergeMap, Observable } from 'rxjs';
import { readAffinity } from './read-affinity.context';
import { ReadGroupSelector } from './read-group.service';
import { SESSION_HEADER } from './session.service';

// Routes that read documents through a replica group, by method.
const GET_READS = [/^\/indexes\/[^/]+\/search$/, /^\/indexes\/[^/]+\/documents(\/[^/]+)?$/];
const POST_READS = [/^\/indexes\/[^/]+\/search$/, /^\/multi-search$/, /^\/indexes\/[^/]+\/documents\/fetch$/, /^\/indexes\/[^/]+\/explain$/];

/** Chooses the read group (session, tenant, shared pool) before a read handler runs. */
@Injectable()
export class ReadAffinityInterceptor implements NestInterceptor {
  constructor(private readonly selector: ReadGroupSelector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const path = req.url.split('?')[0]!;
    const routes = req.method === 'GET' ? GET_READS : req.method === 'POST' ? POST_READS : [];
    if (!routes.some((r) => r.test(path))) return next.handle();
    return from(this.selector.choose(req.headers)).pipe(
      mergeMap((choice) => {
        if (choice.sessionId) void context.switchToHttp().getResponse<{ header(k: string, v: string): unknown }>().header(SESSION_HEADER, choice.sessionId);
        // Nest calls the handler when its observable is subscribed: subscribe inside run() so the
        // handler and everything it awaits see the choice.
        return new Observable<unknown>((subscriber) => readAffinity.run(choice, () => next.handle().subscribe(subscriber)));
      }),
    );
  }
}
