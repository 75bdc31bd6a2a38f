import type { ClientSearchParams } from '@miroir/core';
import { MeiliError } from '../errors/meili-error';
import { readErrors, searchCode } from './read-errors';

// Edge validation of search requests (POST body, GET query string, one multi-search query), with
// Meilisearch's codes and wording. After this the parameters Miroir itself reads (pagination,
// sort, filter, score flags) are known to have the right types; everything else is forwarded to
// the nodes as given, and they answer any finer error (non-filterable attribute, bad sort…).

export type SearchQuery = ClientSearchParams & Record<string, unknown>;

export const SEARCH_FIELDS = [
  'q',
  'vector',
  'hybrid',
  'offset',
  'limit',
  'page',
  'hitsPerPage',
  'attributesToRetrieve',
  'retrieveVectors',
  'attributesToCrop',
  'cropLength',
  'attributesToHighlight',
  'showMatchesPosition',
  'showRankingScore',
  'showRankingScoreDetails',
  'showPerformanceDetails',
  'filter',
  'sort',
  'distinct',
  'facets',
  'highlightPreTag',
  'highlightPostTag',
  'cropMarker',
  'matchingStrategy',
  'attributesToSearchOn',
  'rankingScoreThreshold',
  'locales',
  'media',
] as const;

export const GET_SEARCH_PARAMETERS = [
  'q',
  'vector',
  'offset',
  'limit',
  'page',
  'hitsPerPage',
  'attributesToRetrieve',
  'retrieveVectors',
  'attributesToCrop',
  'cropLength',
  'attributesToHighlight',
  'filter',
  'sort',
  'distinct',
  'showMatchesPosition',
  'showRankingScore',
  'showRankingScoreDetails',
  'showPerformanceDetails',
  'facets',
  'highlightPreTag',
  'highlightPostTag',
  'cropMarker',
  'matchingStrategy',
  'attributesToSearchOn',
  'hybridEmbedder',
  'hybridSemanticRatio',
  'rankingScoreThreshold',
  'locales',
] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function nat(v: unknown, field: string, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw readErrors.invalidType(searchCode(field), path, 'a positive integer', v);
  return v;
}

function strArray(v: unknown, field: string, path: string): string[] {
  if (!Array.isArray(v)) throw readErrors.invalidType(searchCode(field), path, 'an array', v);
  v.forEach((x, i) => {
    if (typeof x !== 'string') throw readErrors.invalidType(searchCode(field), `${path}[${i}]`, 'a string', x);
  });
  return v as string[];
}

function expectType(v: unknown, kind: 'string' | 'boolean', field: string, path: string): void {
  if (typeof v !== kind) throw readErrors.invalidType(searchCode(field), path, `a ${kind}`, v);
}

/**
 * A filter is a string or the array form (strings and arrays of strings). Meilisearch reads the
 * filter as any JSON value and judges its shape when parsing it, with its own wording (the same
 * for search, facet search, similar and documents; `_path` kept for the callers' symmetry).
 */
export function checkFilter(v: unknown, code: string, _path?: string): void {
  const wrong = (expected: string, found: unknown): MeiliError =>
    new MeiliError(code, `Invalid syntax for the filter parameter: \`expected ${expected}, found: ${JSON.stringify(found)}\`.`);
  if (v === undefined || v === null || typeof v === 'string') return;
  if (!Array.isArray(v)) throw wrong('String, Array', v);
  for (const item of v as unknown[]) {
    if (typeof item === 'string') continue;
    if (!Array.isArray(item)) throw wrong('String, [String]', item);
    const bad = (item as unknown[]).find((s) => typeof s !== 'string');
    if (bad !== undefined) throw wrong('String', bad);
  }
}

function checkField(k: string, v: unknown, path: string): void {
  switch (k) {
    case 'q':
    case 'distinct':
      if (v !== null) expectType(v, 'string', k, path);
      return;
    case 'offset':
    case 'limit':
    case 'page':
    case 'hitsPerPage':
    case 'cropLength':
      nat(v, k, path);
      return;
    case 'attributesToRetrieve':
    case 'attributesToCrop':
    case 'attributesToHighlight':
    case 'facets':
    case 'sort':
    case 'attributesToSearchOn':
    case 'locales':
      if (v !== null) strArray(v, k, path);
      return;
    case 'showPerformanceDetails':
      // A multi-search query reads it as an optional boolean (null: not asked), a search as a boolean.
      if (v === null && path.startsWith('.queries[')) return;
      expectType(v, 'boolean', k, path);
      return;
    case 'showMatchesPosition':
    case 'showRankingScore':
    case 'showRankingScoreDetails':
    case 'retrieveVectors':
      expectType(v, 'boolean', k, path);
      return;
    case 'highlightPreTag':
    case 'highlightPostTag':
    case 'cropMarker':
      expectType(v, 'string', k, path);
      return;
    case 'filter':
      checkFilter(v, searchCode('filter'), path);
      return;
    case 'matchingStrategy':
      if (v !== 'last' && v !== 'all' && v !== 'frequency') {
        throw readErrors.unknownValue(searchCode(k), path, v, ['last', 'all', 'frequency']);
      }
      return;
    case 'rankingScoreThreshold':
      if (v !== null && (typeof v !== 'number' || !(v >= 0 && v <= 1))) {
        throw readErrors.invalidValue(
          searchCode(k),
          path,
          'the value of `rankingScoreThreshold` is invalid, expected a float between `0.0` and `1.0`.',
        );
      }
      return;
    case 'vector':
      if (v !== null && (!Array.isArray(v) || v.some((x) => typeof x !== 'number'))) {
        throw readErrors.invalidType('invalid_search_vector', path, 'an array of numbers', v);
      }
      return;
    case 'hybrid':
      if (v === null) return;
      if (!isObject(v)) throw readErrors.invalidType('invalid_search_hybrid_query', path, 'an object', v);
      if (typeof v['embedder'] !== 'string') throw readErrors.missingField('invalid_search_hybrid_query', 'embedder', path);
      if (v['semanticRatio'] !== undefined && (typeof v['semanticRatio'] !== 'number' || v['semanticRatio'] < 0 || v['semanticRatio'] > 1)) {
        throw readErrors.invalidValue('invalid_search_semantic_ratio', `${path}.semanticRatio`, 'the value of `semanticRatio` is invalid, expected a float between `0.0` and `1.0`.');
      }
      return;
    default:
      // media and the caller's extra fields (indexUid, federationOptions): checked elsewhere or by the node.
      return;
  }
}

/**
 * Validates a search body. `extraFields` are accepted on top of Meilisearch's search fields
 * (multi-search's `indexUid`, `federationOptions`); `pathPrefix` prefixes error paths
 * (`.queries[0]`). Fields sent as `undefined`-equivalent are dropped.
 */
export function validateSearchBody(body: unknown, extraFields: readonly string[] = [], pathPrefix = ''): SearchQuery {
  if (!isObject(body)) throw readErrors.invalidType('bad_request', pathPrefix, 'an object', body);
  const allowed: readonly string[] = [...SEARCH_FIELDS, ...extraFields];
  for (const k of Object.keys(body)) {
    if (!allowed.includes(k)) throw readErrors.unknownField(k, allowed, pathPrefix);
  }
  for (const [k, v] of Object.entries(body)) checkField(k, v, `${pathPrefix}.${k}`);
  // null means "default" for Meilisearch's pagination and flags: drop it so the merge sees defaults.
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (v === null && (k === 'offset' || k === 'limit' || k === 'page' || k === 'hitsPerPage' || k === 'showPerformanceDetails')) continue;
    out[k] = v;
  }
  return out as SearchQuery;
}

/** Splits a comma-separated list, keeping `_geoPoint(1.5,2.3):asc` in one piece. */
export function splitSortList(raw: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of raw) {
    if (ch === '(') depth++;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

const csv = (s: string): string[] =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');

export type QueryString = Record<string, string | string[] | undefined>;

/** The first value of a query parameter (repeated parameters: the first one wins). */
export function firstValue(q: QueryString, name: string): string | undefined {
  const v = q[name];
  return Array.isArray(v) ? v[0] : v;
}

/** GET /indexes/{uid}/search: the query string in the POST body's shape, then validated. */
export function searchQueryFromQueryString(q: QueryString): SearchQuery {
  const body: Record<string, unknown> = {};
  const allowed: readonly string[] = GET_SEARCH_PARAMETERS;
  for (const k of Object.keys(q)) {
    if (!allowed.includes(k)) throw readErrors.unknownParameter(k, allowed);
    const raw = firstValue(q, k);
    if (raw === undefined) continue;
    switch (k) {
      case 'offset':
      case 'limit':
      case 'page':
      case 'hitsPerPage':
      case 'cropLength':
        if (!/^\d+$/.test(raw.trim())) throw readErrors.queryInteger(searchCode(k), k, raw);
        body[k] = Number(raw.trim());
        break;
      case 'attributesToRetrieve':
      case 'attributesToCrop':
      case 'attributesToHighlight':
      case 'facets':
      case 'attributesToSearchOn':
      case 'locales':
        body[k] = csv(raw);
        break;
      case 'sort':
        body[k] = splitSortList(raw);
        break;
      case 'showMatchesPosition':
      case 'showRankingScore':
      case 'showRankingScoreDetails':
      case 'showPerformanceDetails':
      case 'retrieveVectors':
        if (raw !== 'true' && raw !== 'false') throw readErrors.queryBoolean(searchCode(k), k, raw);
        body[k] = raw === 'true';
        break;
      case 'rankingScoreThreshold':
      case 'hybridSemanticRatio': {
        const n = Number(raw);
        const code = k === 'hybridSemanticRatio' ? 'invalid_search_semantic_ratio' : searchCode(k);
        if (raw.trim() === '' || Number.isNaN(n)) throw readErrors.queryFloat(code, k, raw);
        if (k === 'rankingScoreThreshold') body[k] = n;
        else body['hybrid'] = { ...((body['hybrid'] as object | undefined) ?? {}), semanticRatio: n };
        break;
      }
      case 'hybridEmbedder':
        body['hybrid'] = { ...((body['hybrid'] as object | undefined) ?? {}), embedder: raw };
        break;
      case 'vector': {
        const parts = csv(raw).map(Number);
        if (parts.some((n) => Number.isNaN(n))) throw readErrors.queryFloat('invalid_search_vector', k, raw);
        body[k] = parts;
        break;
      }
      case 'filter':
        // Meilisearch reads a GET filter that is a JSON array as the array form.
        body[k] = parseFilterParam(raw);
        break;
      default:
        body[k] = raw;
    }
  }
  return validateSearchBody(body);
}

/** A filter from a query string: the array form when it is a JSON array, otherwise the string. */
export function parseFilterParam(raw: string): unknown {
  if (raw.trim().startsWith('[')) {
    try {
      const v: unknown = JSON.parse(raw);
      if (Array.isArray(v)) return v;
    } catch {
      // not JSON: a string filter (that the node will judge)
    }
  }
  return raw;
}
