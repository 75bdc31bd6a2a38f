// Validates a search request (POST body, GET query string, or one multi-search query) into the
// engine's SearchParams, with Meilisearch's invalid_search_* codes and bad_request for unknown fields.
import { errors } from '../error-catalog';
import { SimError } from '../errors';
import type { SearchParams } from '../search/types';
import { isObject, qstr, type Query } from './request';

// In Meilisearch 1.50's order, which its unknown-field message lists verbatim.
export const SEARCH_FIELDS = [
  'q',
  'offset',
  'limit',
  'page',
  'hitsPerPage',
  'attributesToRetrieve',
  'attributesToCrop',
  'cropLength',
  'cropMarker',
  'attributesToHighlight',
  'highlightPreTag',
  'highlightPostTag',
  'showMatchesPosition',
  'filter',
  'sort',
  'distinct',
  'facets',
  'matchingStrategy',
  'attributesToSearchOn',
  'rankingScoreThreshold',
  'locales',
  'hybrid',
  'vector',
  'retrieveVectors',
  'media',
  'personalize',
  'useNetwork',
  'showRankingScore',
  'showRankingScoreDetails',
  'showPerformanceDetails',
] as const;

const code = (field: string): string => `invalid_search_${field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;

function nat(v: unknown, field: string, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw errors.invalidType(code(field), path, 'a positive integer', v);
  return v;
}
function str(v: unknown, field: string, path: string): string {
  if (typeof v !== 'string') throw errors.invalidType(code(field), path, 'a string', v);
  return v;
}
function bool(v: unknown, field: string, path: string): boolean {
  if (typeof v !== 'boolean') throw errors.invalidType(code(field), path, 'a boolean', v);
  return v;
}
function strArray(v: unknown, field: string, path: string): string[] {
  if (!Array.isArray(v)) throw errors.invalidType(code(field), path, 'an array', v);
  v.forEach((x, i) => {
    if (typeof x !== 'string') throw errors.invalidType(code(field), `${path}[${i}]`, 'a string', x);
  });
  return v as string[];
}

/** The filter is parsed from a JSON value, and Meilisearch words a wrong type as a syntax error. */
function filterTypeError(expected: string, found: unknown): SimError {
  return new SimError('invalid_search_filter', `Invalid syntax for the filter parameter: \`expected ${expected}, found: ${JSON.stringify(found)}\`.`);
}

/**
 * `extraFields` are allowed on top of the search fields (multi-search's indexUid, federationOptions);
 * `pathPrefix` is prepended to error paths (e.g. ".queries[0]").
 */
export function validateSearchBody(body: unknown, extraFields: readonly string[] = [], pathPrefix = ''): SearchParams {
  if (!isObject(body)) throw errors.invalidType('bad_request', pathPrefix, 'an object', body);
  // multi-search lists `indexUid` first and its other extra fields last.
  const allowed = [...extraFields.filter((f) => f === 'indexUid'), ...SEARCH_FIELDS, ...extraFields.filter((f) => f !== 'indexUid')];
  for (const k of Object.keys(body)) {
    if (!allowed.includes(k)) {
      throw new SimError('bad_request', `Unknown field \`${k}\`${pathPrefix ? ` inside \`${pathPrefix}\`` : ''}: expected one of ${allowed.map((a) => `\`${a}\``).join(', ')}`);
    }
  }
  const p: SearchParams = {};
  for (const [k, v] of Object.entries(body)) {
    const path = `${pathPrefix}.${k}`;
    if (v === undefined) continue;
    switch (k) {
      case 'q':
        p.q = v === null ? null : str(v, k, path);
        break;
      case 'offset':
      case 'limit':
      case 'page':
      case 'hitsPerPage':
      case 'cropLength':
        p[k] = nat(v, k, path);
        break;
      case 'attributesToRetrieve':
      case 'attributesToCrop':
      case 'attributesToHighlight':
      case 'facets':
      case 'sort':
      case 'attributesToSearchOn':
        p[k] = v === null ? null : strArray(v, k, path);
        break;
      case 'showPerformanceDetails':
        // Optional in a multi-search query (null: not asked), a plain boolean in a search.
        if (v === null && pathPrefix.startsWith('.queries[')) break;
        p[k] = bool(v, k, path);
        break;
      case 'showMatchesPosition':
      case 'showRankingScore':
      case 'showRankingScoreDetails':
        p[k] = bool(v, k, path);
        break;
      case 'highlightPreTag':
      case 'highlightPostTag':
      case 'cropMarker':
        p[k] = str(v, k, path);
        break;
      case 'distinct':
        p.distinct = v === null ? null : str(v, k, path);
        break;
      case 'filter':
        if (v === null) p.filter = null;
        else if (typeof v === 'string') p.filter = v;
        else if (Array.isArray(v)) {
          v.forEach((item) => {
            if (typeof item === 'string') return;
            if (Array.isArray(item) && item.every((s) => typeof s === 'string')) return;
            throw filterTypeError('String, [String]', item);
          });
          p.filter = v as Array<string | string[]>;
        } else throw filterTypeError('String, Array', v);
        break;
      case 'matchingStrategy':
        if (v !== 'last' && v !== 'all' && v !== 'frequency') {
          throw new SimError(code(k), `Unknown value \`${String(v)}\` at \`${path}\`: expected one of \`last\`, \`all\`, \`frequency\``);
        }
        p.matchingStrategy = v;
        break;
      case 'rankingScoreThreshold':
        if (v === null) p.rankingScoreThreshold = null;
        else if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
          throw new SimError(code(k), `Invalid value at \`${path}\`: the value of \`rankingScoreThreshold\` is invalid, expected a float between \`0.0\` and \`1.0\`.`);
        } else p.rankingScoreThreshold = v;
        break;
      case 'retrieveVectors':
        bool(v, k, path);
        break;
      default:
        // vector, hybrid, locales, media, and the caller's extra fields: accepted, not used here.
        break;
    }
  }
  return p;
}

/** GET /indexes/{uid}/search: query-string parameters → the JSON body shape, then validated. */
export function searchQueryToBody(q: Query): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const csv = (s: string): string[] => s.split(',').map((x) => x.trim()).filter((x) => x !== '');
  for (const k of Object.keys(q)) {
    const raw = qstr(q, k)!;
    switch (k) {
      case 'offset':
      case 'limit':
      case 'page':
      case 'hitsPerPage':
      case 'cropLength':
        if (!/^\d+$/.test(raw)) throw new SimError(code(k), `Invalid value in parameter \`${k}\`: could not parse \`${raw}\` as a positive integer`);
        body[k] = Number(raw);
        break;
      case 'attributesToRetrieve':
      case 'attributesToCrop':
      case 'attributesToHighlight':
      case 'facets':
      case 'sort':
      case 'attributesToSearchOn':
        body[k] = csv(raw);
        break;
      case 'showMatchesPosition':
      case 'showRankingScore':
      case 'showRankingScoreDetails':
      case 'showPerformanceDetails':
      case 'retrieveVectors':
        if (raw !== 'true' && raw !== 'false') {
          throw new SimError(code(k), `Invalid value in parameter \`${k}\`: could not parse \`${raw}\` as a boolean, expected either \`true\` or \`false\``);
        }
        body[k] = raw === 'true';
        break;
      case 'rankingScoreThreshold': {
        const n = Number(raw);
        if (raw.trim() === '' || Number.isNaN(n)) throw new SimError(code(k), `Invalid value in parameter \`${k}\`: could not parse \`${raw}\` as a float`);
        body[k] = n;
        break;
      }
      default:
        body[k] = raw;
    }
  }
  return body;
}
