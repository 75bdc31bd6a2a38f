import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MetricsService } from './metrics.service';

// POST routes that read: everything else that is not a GET changes data.
const READ_POSTS = /(\/search|\/multi-search|\/documents\/fetch|\/explain|\/facet-search|\/similar)$/;

/**
 * Times every request with a Fastify onResponse hook (it also sees requests refused by guards,
 * body-limit errors and unknown routes, which a Nest interceptor would miss). The route label is
 * the route template (`/indexes/:uid/search`), never the raw path: raw paths carry index uids,
 * document ids and API keys (`/keys/{key}`), and would make the label set unbounded.
 *
 * Degraded answers, quorum failures and unavailable shards are counted here too, from what the
 * client received (the `X-Miroir-Degraded` / `X-Miroir-Settings-Inconsistent` headers and the
 * status), so every path that sets them is counted exactly once without calling MetricsService.
 */
export function installHttpMetrics(fastify: FastifyInstance, metrics: MetricsService): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    if (route !== 'unmatched') countDegradation(request, reply, route, metrics);
    done();
  });
}

function countDegradation(request: FastifyRequest, reply: FastifyReply, route: string, metrics: MetricsService): void {
  const degraded = reply.getHeader('x-miroir-degraded') !== undefined;
  const inconsistent = reply.getHeader('x-miroir-settings-inconsistent') !== undefined;
  if (!degraded && !inconsistent) return;
  const read = request.method === 'GET' || (request.method === 'POST' && READ_POSTS.test(route));
  const uid = (request.params as Record<string, unknown> | undefined)?.uid;
  const index = typeof uid === 'string' ? uid : route === '/multi-search' ? '(multi-search)' : '(none)';
  if (inconsistent) metrics.degraded('settings_inconsistent');
  if (!degraded) return;
  if (reply.statusCode === 503) {
    if (read) metrics.shardsUnavailable(index);
    else metrics.quorumFailure(index);
  } else if (reply.statusCode < 400) {
    metrics.degraded(read ? 'read_partial' : 'write_quorum');
  }
}
