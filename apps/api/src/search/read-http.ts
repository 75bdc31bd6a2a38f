import type { FastifyReply, FastifyRequest } from 'fastify';
import { MeiliError } from '../errors/meili-error';
import { parseJsonObject, toBuffer } from '../http/json-body';
import type { ReadContext } from './read-hooks';

// Small edge helpers shared by the read controllers.

export function readContext(req: FastifyRequest): ReadContext {
  return { headers: req.headers };
}

export function applyHeaders(reply: FastifyReply, headers: Record<string, string>): void {
  for (const [k, v] of Object.entries(headers)) void reply.header(k, v);
}

/**
 * A JSON object body (empty allowed where Meilisearch allows it). A body with another content
 * type is refused as Meilisearch refuses it: these routes only take JSON.
 */
export function jsonObjectBody(req: FastifyRequest, body: unknown, allowEmpty: boolean): Record<string, unknown> {
  const buf = toBuffer(body);
  const ct = req.headers['content-type'];
  if (buf.length > 0 && ct !== undefined) {
    const mime = ct.split(';')[0]!.trim().toLowerCase();
    if (mime !== 'application/json') {
      throw new MeiliError(
        'invalid_content_type',
        `The Content-Type \`${ct}\` is invalid. Accepted values for the Content-Type header are: \`application/json\``,
        415,
      );
    }
  }
  return parseJsonObject(buf, { allowEmpty });
}
