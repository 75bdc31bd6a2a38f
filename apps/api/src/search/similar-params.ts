import { documentKey, invalidIdMessage } from '@miroir/core';
import { MeiliError } from '../errors/meili-error';
import { readErrors } from './read-errors';
import { firstValue, parseFilterParam, type QueryString } from './search-params';

// Edge validation of GET|POST /indexes/{uid}/similar with Meilisearch 1.50's codes and wording:
// unknown fields refused, fields judged in the order the client wrote them, `id` and `embedder`
// required. Meilisearch reads `id` and `filter` as any JSON value and judges them later — after
// looking up the embedder (and, for the filter, the document) — so they are kept as sent here and
// judged by the similar service in that order.

/** In Meilisearch's order, which its unknown-field message lists. */
export const SIMILAR_FIELDS = [
  'id',
  'offset',
  'limit',
  'filter',
  'embedder',
  'attributesToRetrieve',
  'retrieveVectors',
  'showRankingScore',
  'showRankingScoreDetails',
  'showPerformanceDetails',
  'rankingScoreThreshold',
] as const;

export const SIMILAR_PARAMETERS = [
  'id',
  'embedder',
  'offset',
  'limit',
  'attributesToRetrieve',
  'retrieveVectors',
  'filter',
  'showRankingScore',
  'showRankingScoreDetails',
  'showPerformanceDetails',
  'rankingScoreThreshold',
] as const;

export interface SimilarQuery {
  /** The reference document's id as Meilisearch echoes it (a string); null when it is not a valid id. */
  readonly id: string | null;
  /** The id as the client sent it. */
  readonly rawId: unknown;
  readonly embedder: string;
  readonly offset: number;
  readonly limit: number;
  readonly filter?: unknown;
  readonly attributesToRetrieve?: string[] | null;
  readonly retrieveVectors: boolean;
  readonly showRankingScore: boolean;
  readonly showRankingScoreDetails: boolean;
  readonly showPerformanceDetails: boolean;
  readonly rankingScoreThreshold?: number | null;
}

const code = (field: string): string => `invalid_similar_${field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const THRESHOLD_MESSAGE = 'the value of `rankingScoreThreshold` is invalid, expected a float between `0.0` and `1.0`.';

/** Meilisearch's error for an id that is not a document id (see the file comment for when). */
export function invalidSimilarId(v: unknown): MeiliError {
  return readErrors.invalidValue(code('id'), '.id', invalidIdMessage(v));
}

/** One field's value, checked; returns what the query holds for it. */
function checkField(k: string, v: unknown): unknown {
  const path = `.${k}`;
  switch (k) {
    case 'id':
    case 'filter':
      return v;
    case 'offset':
    case 'limit':
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw readErrors.invalidType(code(k), path, 'a positive integer', v);
      return v;
    case 'embedder':
      if (typeof v !== 'string') throw readErrors.invalidType(code(k), path, 'a string', v);
      return v;
    case 'attributesToRetrieve':
      if (v === null) return null;
      if (!Array.isArray(v)) throw readErrors.invalidType(code(k), path, 'an array', v);
      v.forEach((x, i) => {
        if (typeof x !== 'string') throw readErrors.invalidType(code(k), `${path}[${i}]`, 'a string', x);
      });
      return v;
    case 'rankingScoreThreshold':
      if (v === null) return null;
      if (typeof v !== 'number') throw readErrors.invalidType(code(k), path, 'a number', v);
      if (!(v >= 0 && v <= 1)) throw readErrors.invalidValue(code(k), path, THRESHOLD_MESSAGE);
      return v;
    default:
      // retrieveVectors, showRankingScore, showRankingScoreDetails, showPerformanceDetails
      if (typeof v !== 'boolean') throw readErrors.invalidType(code(k), path, 'a boolean', v);
      return v;
  }
}

/** Validates a POST body (the first bad field in the client's order is reported). */
export function validateSimilarBody(body: unknown): SimilarQuery {
  if (!isObject(body)) throw readErrors.invalidType('bad_request', '', 'an object', body);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (!(SIMILAR_FIELDS as readonly string[]).includes(k)) throw readErrors.unknownField(k, SIMILAR_FIELDS);
    out[k] = checkField(k, v);
  }
  if (out['id'] === undefined) throw readErrors.missingField('bad_request', 'id');
  if (out['embedder'] === undefined) throw readErrors.missingField('bad_request', 'embedder');
  return withDefaults(out);
}

function withDefaults(out: Record<string, unknown>): SimilarQuery {
  return {
    rawId: out['id'],
    offset: 0,
    limit: 20,
    retrieveVectors: false,
    showRankingScore: false,
    showRankingScoreDetails: false,
    showPerformanceDetails: false,
    ...out,
    id: documentKey(out['id']),
  } as SimilarQuery;
}

function parseQueryField(k: string, raw: string): unknown {
  switch (k) {
    case 'offset':
    case 'limit':
      if (!/^\d+$/.test(raw.trim())) throw readErrors.queryInteger(code(k), k, raw);
      return Number(raw.trim());
    case 'attributesToRetrieve':
      return raw
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== '');
    case 'filter':
      return parseFilterParam(raw);
    case 'rankingScoreThreshold': {
      const n = Number(raw);
      if (raw.trim() === '' || Number.isNaN(n) || !(n >= 0 && n <= 1)) {
        throw new MeiliError(code(k), `Invalid value in parameter \`${k}\`: ${THRESHOLD_MESSAGE}`);
      }
      return n;
    }
    case 'retrieveVectors':
    case 'showRankingScore':
    case 'showRankingScoreDetails':
    case 'showPerformanceDetails':
      if (raw !== 'true' && raw !== 'false') throw readErrors.queryBoolean(code(k), k, raw);
      return raw === 'true';
    default:
      // id (a string, checked below as an id) and embedder
      return raw;
  }
}

/** GET /indexes/{uid}/similar: the query string, checked as Meilisearch checks it. */
export function similarQueryFromQueryString(q: QueryString): SimilarQuery {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(q)) {
    if (!(SIMILAR_PARAMETERS as readonly string[]).includes(k)) throw readErrors.unknownParameter(k, SIMILAR_PARAMETERS);
    const raw = firstValue(q, k);
    if (raw === undefined) continue;
    out[k] = parseQueryField(k, raw);
  }
  if (out['id'] === undefined) throw new MeiliError('bad_request', 'Missing parameter `id`');
  if (out['embedder'] === undefined) throw new MeiliError('bad_request', 'Missing parameter `embedder`');
  return withDefaults(out);
}
