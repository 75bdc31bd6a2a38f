import type { FastifyInstance } from 'fastify';

/**
 * Echoes the request id (the client's `X-Request-Id`, or a generated UUID: see bootstrap.ts) on
 * every response, so a client or a proxy can quote it and an operator can find the request's log
 * lines (`reqId`).
 */
export function installRequestIdHeader(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
}
