import type { FastifyInstance } from 'fastify';

/**
 * Every request body reaches controllers as a raw Buffer: Miroir parses JSON, NDJSON and CSV itself
 * so malformed bodies get Meilisearch's error codes (and documents can be forwarded to nodes as
 * bytes without a parse/serialise round trip where possible).
 */
export function registerRawBodyParser(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));
}
