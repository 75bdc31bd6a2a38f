import type { FastifyInstance } from 'fastify';
import type { MetricsService } from './metrics.service';

/**
 * Times every request with a Fastify onResponse hook (it also sees requests refused by guards,
 * body-limit errors and unknown routes, which a Nest interceptor would miss). The route label is
 * the route template (`/indexes/:uid/search`), never the raw path: raw paths carry index uids,
 * document ids and API keys (`/keys/{key}`), and would make the label set unbounded.
 */
export function installHttpMetrics(fastify: FastifyInstance, metrics: MetricsService): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
