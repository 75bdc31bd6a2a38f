import { MeiliError } from '../errors/meili-error';
import { toBuffer } from '../http/json-body';
import { exceedsJsonDepth } from '../http/json-depth';
import { keyErrors } from './key-errors';

// The HTTP edge of the /keys routes: the JSON body and the list's query, refused as Meilisearch
// 1.50 refuses them (content type first, then an empty body, then JSON syntax).

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** serde_json (Meilisearch 1.50, checked) refuses a 128th level of nested arrays and objects. */
const MAX_DEPTH = 127;
/** A UTF-16 surrogate without its pair. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The parsed JSON body of POST /keys and PATCH /keys/{key} (any JSON value: the body checks come next). */
export function readKeyBody(contentType: string | undefined, body: unknown): unknown {
  if (contentType === undefined) throw keyErrors.missingContentType();
  if (contentType.split(';')[0]!.trim().toLowerCase() !== 'application/json') throw keyErrors.invalidContentType(contentType);
  const buf = toBuffer(body);
  if (buf.length === 0) throw keyErrors.missingPayload();
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(buf));
  } catch (err) {
    // serde_json's own wording (with line and column) is not reproduced: the code is the same.
    throw keyErrors.malformedPayload(err instanceof TypeError ? 'invalid UTF-8' : (err as Error).message);
  }
  if (exceedsJsonDepth(value, MAX_DEPTH)) throw keyErrors.malformedPayload('recursion limit exceeded');
  // serde_json refuses a lone surrogate escape (`"\ud800"`); JSON.parse lets it through.
  if (hasLoneSurrogate(value)) throw keyErrors.malformedPayload('lone surrogate in hex escape');
  return value;
}

/** Iterative walk: the depth is already bounded, but no recursion is needed either. */
function hasLoneSurrogate(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (LONE_SURROGATE.test(v)) return true;
    } else if (Array.isArray(v)) {
      for (const child of v) stack.push(child);
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, child] of Object.entries(v)) {
        if (LONE_SURROGATE.test(k)) return true;
        stack.push(child);
      }
    }
  }
  return false;
}

export type KeyListQuery = Record<string, string | string[] | undefined>;

const LIST_PARAMS = ['offset', 'limit'] as const;
const U64_MAX = 18446744073709551615n;

/** GET /keys `?offset=&limit=` (defaults 0 and 20; a repeated parameter counts once, the last). */
export function parseKeyListQuery(query: KeyListQuery): { offset: number; limit: number } {
  const page = { offset: 0, limit: 20 };
  for (const [name, raw] of Object.entries(query)) {
    if (name !== 'offset' && name !== 'limit') {
      throw new MeiliError('bad_request', `Unknown parameter \`${name}\`: expected one of ${LIST_PARAMS.map((p) => `\`${p}\``).join(', ')}`);
    }
    const text = Array.isArray(raw) ? raw[raw.length - 1]! : (raw ?? '');
    if (!/^\d+$/.test(text) || BigInt(text) > U64_MAX) {
      throw new MeiliError(`invalid_api_key_${name}`, `Invalid value in parameter \`${name}\`: could not parse \`${text}\` as a positive integer`);
    }
    // Beyond 2^53 a page is empty or whole either way.
    page[name] = Math.min(Number(text), Number.MAX_SAFE_INTEGER);
  }
  return page;
}
