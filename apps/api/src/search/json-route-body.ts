import type { FastifyRequest } from 'fastify';
import { errors } from '../errors/catalog';
import { MeiliError } from '../errors/meili-error';
import { parseJson, toBuffer } from '../http/json-body';

// The body of Meilisearch's JSON-only read routes that take one object (facet search, similar):
// a Content-Type is required and must be JSON, the body must be present, and its shape is judged
// by the route's own validation (so a non-object gets Meilisearch's "Invalid value type" wording).

const JSON_ONLY = 'Accepted values for the Content-Type header are: `application/json`';

export function jsonRouteValue(req: FastifyRequest, body: unknown): unknown {
  const ct = req.headers['content-type'];
  if (ct === undefined) throw new MeiliError('missing_content_type', `A Content-Type header is missing. ${JSON_ONLY}`, 415);
  const mime = ct.split(';')[0]!.trim().toLowerCase();
  if (mime !== 'application/json') throw new MeiliError('invalid_content_type', `The Content-Type \`${ct}\` is invalid. ${JSON_ONLY}`, 415);
  const buf = toBuffer(body);
  if (buf.length === 0 || buf.toString('utf8').trim() === '') throw errors.missingPayload('json');
  return parseJson(buf);
}
