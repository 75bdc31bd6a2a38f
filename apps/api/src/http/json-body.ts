import { errors } from '../errors/catalog';
import { describeValue } from '../errors/describe-value';
import { DEPTH_MESSAGE, exceedsJsonDepth } from './json-depth';

/**
 * Parses a JSON request body for routes that take one object (search, settings, keys…), with
 * Meilisearch's `bad_request` wording for malformed JSON. An absent body is `{}` where allowed.
 */
export function parseJsonObject(body: unknown, opts: { allowEmpty?: boolean } = {}): Record<string, unknown> {
  const buf = toBuffer(body);
  if (buf.length === 0 || buf.toString('utf8').trim() === '') {
    if (opts.allowEmpty ?? true) return {};
    throw errors.missingPayload('json');
  }
  const value = parseJson(buf);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    // Meilisearch 1.50's object routes (search, settings, keys, indexes, documents delete/edit/fetch…)
    // read their body with deserr, which words a wrong top-level type this way.
    throw errors.badRequest(`Invalid value type: expected an object, but found ${describeValue(value)}`);
  }
  return value as Record<string, unknown>;
}

/** Parses any JSON value (arrays allowed), with Meilisearch's `bad_request` wording on error. */
export function parseJson(body: unknown): unknown {
  const buf = toBuffer(body);
  let value: unknown;
  try {
    value = JSON.parse(buf.toString('utf8'));
  } catch (err) {
    throw errors.badRequest(`Json deserialize error: ${(err as Error).message}`);
  }
  if (exceedsJsonDepth(value)) throw errors.badRequest(`Json deserialize error: ${DEPTH_MESSAGE}`);
  return value;
}

export function toBuffer(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  return Buffer.from(JSON.stringify(body));
}

export function jsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'sequence';
  if (typeof v === 'object') return 'map';
  if (typeof v === 'string') return `string "${v}"`;
  if (typeof v === 'number') return Number.isInteger(v) ? `integer \`${v}\`` : `floating point \`${v}\``;
  if (typeof v === 'boolean') return `boolean \`${v}\``;
  return typeof v;
}
