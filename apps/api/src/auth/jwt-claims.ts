import { afterStructEnd, jsonError, parseJsonText, plainValue, type JsonMember, type JsonNode } from './jwt-json';
import { parseUuid, UuidError } from './jwt-uuid';
import { parseSearchRules, type SearchRules } from './search-rules';

// The header and claims of a tenant token read as Meilisearch 1.50 reads them (serde structs of its
// JWT library and of `meilisearch-auth`), so that a malformed token is refused with the same words:
// `JSON error: missing field \`apiKeyUid\` at line 1 column 21` and the like.

export interface TokenHeader {
  readonly alg: string;
}

export interface TokenClaims {
  /** Lowercase hyphenated, whatever form the token used. */
  readonly apiKeyUid: string;
  readonly searchRules: SearchRules;
  /** Unix seconds, or null when the token never expires. */
  readonly exp: number | null;
  /** Whether an `aud` claim is present in a form the JWT library reads (Meilisearch then refuses it). */
  readonly hasAudience: boolean;
}

const ALGORITHMS = ['HS256', 'HS384', 'HS512', 'ES256', 'ES384', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA'];
const HEADER_STRINGS = ['typ', 'cty', 'jku', 'kid', 'x5u', 'x5t', 'x5t#S256'];
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const U64_MAX = 2n ** 64n - 1n;

/** A float as serde prints it: shortest digits, `.0` on integral values, exponent for big ones. */
function formatFloat(x: number): string {
  const abs = Math.abs(x);
  if (abs !== 0 && (abs >= 1e16 || abs < 1e-5)) return x.toExponential();
  const s = String(x);
  return s.includes('.') ? s : `${s}.0`;
}

function integerOf(node: JsonNode): bigint | undefined {
  if (node.kind !== 'number' || /[.eE]/.test(node.text)) return undefined;
  const n = BigInt(node.text);
  return n >= I64_MIN && n <= U64_MAX ? n : undefined;
}

/** serde's `Unexpected` for a value, as in "invalid type: integer `5`, expected …". */
function unexpected(node: JsonNode): string {
  switch (node.kind) {
    case 'null':
      return 'null';
    case 'bool':
      return `boolean \`${node.value}\``;
    case 'string':
      return `string ${JSON.stringify(node.value)}`;
    case 'number':
      return integerOf(node) !== undefined ? `integer \`${node.text}\`` : `floating point \`${formatFloat(Number(node.text))}\``;
    case 'array':
      return 'sequence';
    case 'object':
      return 'map';
  }
}

class Reading {
  constructor(readonly bytes: Uint8Array) {}

  /** A type error on a value: serde places it after a scalar, at the opening bracket of a container. */
  invalidType(node: JsonNode, expected: string): Error {
    const at = node.kind === 'array' || node.kind === 'object' ? node.start : node.end;
    return jsonError(this.bytes, `invalid type: ${unexpected(node)}, expected ${expected}`, at);
  }

  /** An error raised while reading a struct's fields, placed where serde is once it closes the struct. */
  structError(message: string, offset: number): Error {
    return jsonError(this.bytes, message, afterStructEnd(this.bytes, offset));
  }

  duplicate(m: JsonMember, seen: Set<string>): void {
    if (seen.has(m.key)) throw this.structError(`duplicate field \`${m.key}\``, m.keyEnd);
    seen.add(m.key);
  }
}

export function readHeader(bytes: Uint8Array): TokenHeader {
  const node = parseJsonText(bytes);
  const r = new Reading(bytes);
  if (node.kind !== 'object') {
    // serde reports a non-object header at the value's first byte for containers, after it otherwise.
    throw jsonError(bytes, `invalid type: ${unexpected(node)}, expected struct Header`, node.kind === 'array' ? node.start : node.end);
  }
  const seen = new Set<string>();
  const extras: JsonMember[] = [];
  let alg: string | undefined;
  for (const m of node.members) {
    const v = m.value;
    if (m.key === 'alg') {
      r.duplicate(m, seen);
      if (v.kind !== 'string') throw jsonError(bytes, 'expected value', v.kind === 'object' ? v.start + 2 : v.start + 1);
      if (!ALGORITHMS.includes(v.value)) {
        throw jsonError(bytes, `unknown variant \`${v.value}\`, expected one of ${ALGORITHMS.map((a) => `\`${a}\``).join(', ')}`, v.end);
      }
      alg = v.value;
    } else if (HEADER_STRINGS.includes(m.key)) {
      r.duplicate(m, seen);
      if (v.kind !== 'null' && v.kind !== 'string') throw r.invalidType(v, 'a string');
    } else if (m.key === 'x5c') {
      r.duplicate(m, seen);
      if (v.kind !== 'null' && v.kind !== 'array') throw r.invalidType(v, 'a sequence');
    } else if (m.key === 'jwk') {
      r.duplicate(m, seen);
      if (v.kind !== 'null' && v.kind !== 'object') throw r.invalidType(v, 'struct Jwk');
    } else extras.push(m);
  }
  if (alg === undefined) throw jsonError(bytes, 'missing field `alg`', node.end);
  // Other header fields are kept as strings by the JWT library, checked once the object is read.
  const bad = extras.find((m) => m.value.kind !== 'string');
  if (bad) throw jsonError(bytes, `invalid type: ${unexpected(bad.value)}, expected a string`, node.end);
  return { alg };
}

function readExp(r: Reading, v: JsonNode): number | null {
  if (v.kind === 'null') return null;
  if (v.kind === 'number') {
    const n = integerOf(v);
    if (n !== undefined && n > I64_MAX) throw jsonError(r.bytes, `invalid value: integer \`${v.text}\`, expected i64`, v.end);
    if (n !== undefined) return Number(n);
  }
  throw r.invalidType(v, 'i64');
}

function readUid(r: Reading, v: JsonNode): string {
  if (v.kind !== 'string') throw r.invalidType(v, 'a formatted UUID string');
  try {
    return parseUuid(v.value);
  } catch (err) {
    if (err instanceof UuidError) throw jsonError(r.bytes, err.message, v.end);
    throw err;
  }
}

function readRules(r: Reading, v: JsonNode): SearchRules {
  const rules = hasDuplicateFilter(v) ? undefined : parseSearchRules(plainValue(v));
  if (!rules) throw r.structError('data did not match any variant of untagged enum SearchRules', v.end);
  return rules;
}

/** `{"movies": {"filter": …, "filter": …}}`: a duplicate field of a rule, which serde refuses. */
function hasDuplicateFilter(v: JsonNode): boolean {
  if (v.kind !== 'object') return false;
  return v.members.some((m) => m.value.kind === 'object' && m.value.members.filter((f) => f.key === 'filter').length > 1);
}

export function readClaims(bytes: Uint8Array): TokenClaims {
  const node = parseJsonText(bytes);
  const r = new Reading(bytes);
  if (node.kind === 'array' && node.items.length < 3) {
    throw jsonError(bytes, `invalid length ${node.items.length}, expected struct Claims with 3 elements`, node.end);
  }
  if (node.kind !== 'object') throw r.invalidType(node, 'struct Claims');
  const seen = new Set<string>();
  let searchRules: SearchRules | undefined;
  let exp: number | null = null;
  let apiKeyUid: string | undefined;
  let hasAudience = false;
  for (const m of node.members) {
    if (m.key === 'searchRules') {
      r.duplicate(m, seen);
      searchRules = readRules(r, m.value);
    } else if (m.key === 'exp') {
      r.duplicate(m, seen);
      exp = readExp(r, m.value);
    } else if (m.key === 'apiKeyUid') {
      r.duplicate(m, seen);
      apiKeyUid = readUid(r, m.value);
    } else if (m.key === 'aud') {
      const v = m.value;
      hasAudience = v.kind === 'string' || (v.kind === 'array' && v.items.every((i) => i.kind === 'string'));
    }
  }
  if (!searchRules) throw jsonError(bytes, 'missing field `searchRules`', node.end);
  if (apiKeyUid === undefined) throw jsonError(bytes, 'missing field `apiKeyUid`', node.end);
  return { apiKeyUid, searchRules, exp, hasAudience };
}
