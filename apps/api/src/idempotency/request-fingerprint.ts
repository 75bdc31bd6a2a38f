import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every depth, so key order and whitespace do not matter. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export interface FingerprintInput {
  method: string;
  /** The concrete path (index uid included), without the query string. */
  path: string;
  query: Record<string, unknown>;
  contentType: string | undefined;
  body: Buffer;
}

/**
 * SHA-256 of the canonical request: method, path, sorted query, content type and the body — a JSON
 * body canonically (a client re-serialising the same documents is the same request), anything
 * else byte for byte (NDJSON and CSV are order- and whitespace-sensitive data).
 */
export function requestFingerprint(input: FingerprintInput): string {
  const h = createHash('sha256');
  h.update(`${input.method.toUpperCase()}\n${input.path}\n${canonicalJson(input.query)}\n${(input.contentType ?? '').split(';')[0]!.trim().toLowerCase()}\n`);
  const isJson = (input.contentType ?? '').toLowerCase().includes('application/json');
  if (isJson) {
    try {
      h.update(canonicalJson(JSON.parse(input.body.toString('utf8'))));
      return h.digest('hex');
    } catch {
      // Malformed JSON: hash the bytes; the route will reject the body anyway.
    }
  }
  h.update(input.body);
  return h.digest('hex');
}

/**
 * Keys are scoped by the credential that sent them, so two clients that happen to pick the same
 * key never see each other's answers.
 */
export function scopedKey(key: string, authorization: string | undefined): string {
  const scope = createHash('sha256').update(authorization ?? '').digest('hex').slice(0, 16);
  return `${scope}:${key}`;
}
