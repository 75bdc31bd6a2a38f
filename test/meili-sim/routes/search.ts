// POST/GET /indexes/{uid}/search and POST /multi-search (plain and federated).
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { errors } from '../error-catalog';
import { SimError } from '../errors';
import { fieldValues, inIndex, normalizeFacet } from '../search/core-query';
import { validateSearchBody, searchQueryToBody } from '../http/search-params';
import { checkBodyKeys, checkIndexUid, getIndex, guard, isObject, jsonBody, query, type Ctx } from '../http/request';
import type { Doc, SearchParams, SearchResponse } from '../search/types';

type IndexParams = { Params: { indexUid: string } };

/**
 * Search errors that Meilisearch 1.50 prefixes with the index uid: only those about an attribute's
 * capabilities ("Attribute `x` is not filterable/sortable/searchable"); a filter or sort syntax
 * error is not prefixed.
 */
const INDEX_SCOPED = new Set(['invalid_search_filter', 'invalid_search_distinct', 'invalid_search_sort', 'invalid_search_attributes_to_search_on']);

function runSearch(ctx: Ctx, uid: string, params: SearchParams): SearchResponse {
  try {
    return getIndex(ctx, uid).engine.search(params);
  } catch (err) {
    if (err instanceof SimError && INDEX_SCOPED.has(err.code) && err.message.startsWith('Attribute `')) {
      throw new SimError(err.code, inIndex(uid, err.message), err.status, err.type);
    }
    throw err;
  }
}

/** A hit's values of `attribute` as Meilisearch compares facet values (numbers by value, strings normalized). */
function distinctKeys(hit: Doc, attribute: string): string[] {
  const keys: string[] = [];
  for (const v of fieldValues(hit, attribute)) {
    if (typeof v === 'number' && Number.isFinite(v)) keys.push(`n${v}`);
    else if (typeof v === 'string' || typeof v === 'boolean') keys.push(`s${normalizeFacet(String(v))}`);
  }
  return keys;
}

/** Rust's `{:.2?}` of a Duration, for the dev node's one-step `performanceDetails`. */
function rustDuration(ms: number): string {
  const ns = ms * 1e6;
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)}s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)}ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)}µs`;
  return `${ns.toFixed(2)}ns`;
}

/**
 * A search answer with `requestUid` and, when asked, `performanceDetails`: Meilisearch times each
 * step of its search pipeline; the dev node reports only the whole search.
 */
function answer(res: object, reqUid: string, showPerformanceDetails: boolean | undefined, started: number): object {
  return showPerformanceDetails ? { ...res, requestUid: reqUid, performanceDetails: { search: rustDuration(performance.now() - started) } } : { ...res, requestUid: reqUid };
}

/** Meilisearch 1.50 tags every search answer with a UUIDv7 `requestUid` (time-ordered, random). */
export function requestUid(now = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = 0x70 | (b[6]! & 0x0f);
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Re-throws an error from inside one multi-search query with Meilisearch's "Inside `.queries[i]`" prefix. */
function inside(i: number, err: unknown): never {
  if (err instanceof SimError && !err.message.startsWith('Inside')) {
    // A query's errors are the request's fault: 400 even for a missing index (404 elsewhere).
    throw new SimError(err.code, `Inside \`.queries[${i}]\`: ${err.message}`, err.type === 'invalid_request' ? 400 : err.status, err.type);
  }
  throw err;
}

export function registerSearchRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.post<IndexParams>('/indexes/:indexUid/search', async (req) => {
    guard(ctx, req, { action: 'search', indexes: [req.params.indexUid] });
    checkIndexUid(req.params.indexUid);
    const started = performance.now();
    const params = validateSearchBody(jsonBody(req, true) ?? {});
    return answer(runSearch(ctx, req.params.indexUid, params), requestUid(), params.showPerformanceDetails, started);
  });

  app.get<IndexParams>('/indexes/:indexUid/search', async (req) => {
    guard(ctx, req, { action: 'search', indexes: [req.params.indexUid] });
    checkIndexUid(req.params.indexUid);
    const started = performance.now();
    const params = validateSearchBody(searchQueryToBody(query(req)));
    return answer(runSearch(ctx, req.params.indexUid, params), requestUid(), params.showPerformanceDetails, started);
  });

  app.post('/multi-search', async (req) => {
    const principal = ctx.auth.authenticate(req.headers.authorization);
    const body = jsonBody(req);
    if (!isObject(body)) throw errors.invalidType('bad_request', '', 'an object', body);
    checkBodyKeys(body, ['queries', 'federation']);
    if (!Array.isArray(body.queries)) throw errors.invalidType('bad_request', '.queries', 'an array', body.queries);
    const federated = body.federation !== undefined && body.federation !== null;
    const queries = body.queries.map((raw: unknown, i: number) => {
      const path = `.queries[${i}]`;
      if (!isObject(raw)) throw errors.invalidType('bad_request', path, 'an object', raw);
      if (raw.indexUid === undefined) throw new SimError('missing_index_uid', `Missing field \`indexUid\` inside \`${path}\``);
      if (typeof raw.indexUid !== 'string') throw errors.invalidType('invalid_index_uid', `${path}.indexUid`, 'a string', raw.indexUid);
      const indexUid = raw.indexUid;
      try {
        ctx.auth.authorize(principal, { action: 'search', indexes: [indexUid] });
        checkIndexUid(indexUid);
      } catch (err) {
        inside(i, err);
      }
      const params = validateSearchBody(raw, ['indexUid', 'federationOptions'], path);
      let weight = 1;
      if (raw.federationOptions !== undefined && raw.federationOptions !== null) {
        if (!federated) {
          throw new SimError('invalid_multi_search_federation_options', `Inside \`${path}\`: Using \`federationOptions\` is not allowed in a non-federated search.\n - Hint: remove \`federationOptions\` from query #${i} or add \`federation\` to the request.`);
        }
        const fo = raw.federationOptions;
        if (!isObject(fo)) throw errors.invalidType('invalid_multi_search_federation_options', `${path}.federationOptions`, 'an object', fo);
        if (fo.weight !== undefined) {
          if (typeof fo.weight !== 'number' || fo.weight < 0) throw errors.invalidType('invalid_multi_search_weight', `${path}.federationOptions.weight`, 'a positive number', fo.weight);
          weight = fo.weight;
        }
      }
      const paging = (['offset', 'limit', 'page', 'hitsPerPage'] as const).find((k) => params[k] !== undefined);
      if (federated && paging !== undefined) {
        throw new SimError(
          'invalid_multi_search_query_pagination',
          `Inside \`${path}\`: Using pagination options is not allowed in federated queries.\n - Hint: remove \`${paging}\` from the query or remove \`federation\` from the request\n - Hint: pass \`federation.limit\` and \`federation.offset\` for pagination in federated search`,
        );
      }
      if (federated && params.showPerformanceDetails !== undefined) {
        throw new SimError(
          'invalid_multi_search_query_show_performance_details',
          `Inside \`${path}\`: Using \`.showPerformanceDetails\` is not allowed in federated queries.\n - Hint: remove \`showPerformanceDetails\` from the query or remove \`federation\` from the request`,
        );
      }
      const fedDistinct = isObject(body.federation) ? body.federation.distinct : undefined;
      if (federated && fedDistinct !== undefined && fedDistinct !== null && params.distinct != null) {
        throw new SimError(
          'invalid_multi_search_distinct',
          `Inside \`${path}\`: Using \`distinct\` options is not allowed in federated queries when it also appears in \`.federation.distinct\`.\n - Hint: remove \`distinct\` from the query or remove \`federation\` from the request\n  - Note: \`distinct\` at the query level is discouraged in federated search.`,
        );
      }
      return { indexUid, params, weight };
    });

    const reqUid = requestUid();
    if (!federated) {
      const results = queries.map((qr, i) => {
        try {
          const started = performance.now();
          return answer({ indexUid: qr.indexUid, ...runSearch(ctx, qr.indexUid, qr.params) }, reqUid, qr.params.showPerformanceDetails, started);
        } catch (err) {
          return inside(i, err);
        }
      });
      return { results };
    }

    const fed = body.federation;
    if (!isObject(fed)) throw errors.invalidType('invalid_multi_search_federated', '.federation', 'an object', fed);
    const nat = (v: unknown, def: number, code: string, path: string): number => {
      if (v === undefined || v === null) return def;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw errors.invalidType(code, path, 'a positive integer', v);
      return v;
    };
    // Like a single search, `page` or `hitsPerPage` switches to exhaustive page mode.
    const pageMode = (fed.page !== undefined && fed.page !== null) || (fed.hitsPerPage !== undefined && fed.hitsPerPage !== null);
    const page = nat(fed.page, 1, 'invalid_search_page', '.federation.page');
    const hitsPerPage = nat(fed.hitsPerPage, 20, 'invalid_search_hits_per_page', '.federation.hitsPerPage');
    const offset = pageMode ? (page === 0 ? 0 : (page - 1) * hitsPerPage) : nat(fed.offset, 0, 'invalid_search_offset', '.federation.offset');
    const limit = pageMode ? (page === 0 ? 0 : hitsPerPage) : nat(fed.limit, 20, 'invalid_search_limit', '.federation.limit');
    const started = Date.now();
    const distinct = typeof fed.distinct === 'string' ? fed.distinct : null;
    if (fed.distinct !== undefined && fed.distinct !== null && distinct === null) throw errors.invalidType('invalid_search_distinct', '.federation.distinct', 'a string', fed.distinct);
    if (fed.showPerformanceDetails !== undefined && typeof fed.showPerformanceDetails !== 'boolean') {
      throw errors.invalidType('invalid_search_show_performance_details', '.federation.showPerformanceDetails', 'a boolean', fed.showPerformanceDetails);
    }
    const merged: Array<{ hit: Doc; score: number; pos: number; order: number; hide: boolean }> = [];
    let estimatedTotalHits = 0;
    queries.forEach((qr, i) => {
      let res: SearchResponse;
      // federation.distinct reads the attribute whatever attributesToRetrieve says.
      const retrieve = qr.params.attributesToRetrieve;
      const hide = distinct !== null && retrieve != null && !retrieve.includes('*') && !retrieve.includes(distinct);
      try {
        res = runSearch(ctx, qr.indexUid, {
          ...qr.params,
          offset: 0,
          limit: offset + limit,
          showRankingScore: true,
          ...(distinct !== null ? { distinct, ...(hide ? { attributesToRetrieve: [...retrieve!, distinct] } : {}) } : {}),
        });
      } catch (err) {
        inside(i, err);
      }
      estimatedTotalHits += res.estimatedTotalHits ?? res.totalHits ?? res.hits.length;
      res.hits.forEach((h, order) => {
        const score = typeof h._rankingScore === 'number' ? h._rankingScore : 0;
        const hit: Doc = { ...h };
        if (!qr.params.showRankingScore) delete hit._rankingScore;
        hit._federation = { indexUid: qr.indexUid, queriesPosition: i, weightedRankingScore: score * qr.weight };
        merged.push({ hit, score: score * qr.weight, pos: i, order, hide });
      });
    });
    merged.sort((a, b) => b.score - a.score || a.pos - b.pos || a.order - b.order);
    let kept = merged;
    if (distinct !== null) {
      // One hit per value over the whole merged list; each one dropped lowers the total.
      const seen = new Set<string>();
      kept = merged.filter((m) => {
        const keys = distinctKeys(m.hit, distinct);
        if (keys.some((k) => seen.has(k))) return false;
        for (const k of keys) seen.add(k);
        return true;
      });
      estimatedTotalHits = Math.max(0, estimatedTotalHits - (merged.length - kept.length));
      for (const m of kept) if (m.hide) delete m.hit[distinct];
    }
    const hits = kept.slice(offset, offset + limit).map((m) => m.hit);
    const perf = fed.showPerformanceDetails === true ? { performanceDetails: { search: rustDuration(Date.now() - started) } } : {};
    if (pageMode) {
      const totalPages = hitsPerPage === 0 ? 0 : Math.ceil(estimatedTotalHits / hitsPerPage);
      return { hits, processingTimeMs: Date.now() - started, hitsPerPage, page, totalPages, totalHits: estimatedTotalHits, requestUid: reqUid, ...perf };
    }
    return { hits, processingTimeMs: Date.now() - started, limit, offset, estimatedTotalHits, requestUid: reqUid, ...perf };
  });
}
