// POST/GET /indexes/{uid}/search and POST /multi-search (plain and federated).
import type { FastifyInstance } from 'fastify';
import { errors } from '../error-catalog';
import { SimError } from '../errors';
import { validateSearchBody, searchQueryToBody } from '../http/search-params';
import { checkBodyKeys, checkIndexUid, getIndex, guard, isObject, jsonBody, query, type Ctx } from '../http/request';
import type { Doc, SearchParams, SearchResponse } from '../search/types';

type IndexParams = { Params: { indexUid: string } };

function runSearch(ctx: Ctx, uid: string, params: SearchParams): SearchResponse {
  return getIndex(ctx, uid).engine.search(params);
}

/** Re-throws an error from inside one multi-search query with Meilisearch's "Inside `.queries[i]`" prefix. */
function inside(i: number, err: unknown): never {
  if (err instanceof SimError && !err.message.startsWith('Inside')) {
    throw new SimError(err.code, `Inside \`.queries[${i}]\`: ${err.message}`, err.status, err.type);
  }
  throw err;
}

export function registerSearchRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.post<IndexParams>('/indexes/:indexUid/search', async (req) => {
    guard(ctx, req, { action: 'search', indexes: [req.params.indexUid] });
    checkIndexUid(req.params.indexUid);
    const params = validateSearchBody(jsonBody(req, true) ?? {});
    return runSearch(ctx, req.params.indexUid, params);
  });

  app.get<IndexParams>('/indexes/:indexUid/search', async (req) => {
    guard(ctx, req, { action: 'search', indexes: [req.params.indexUid] });
    checkIndexUid(req.params.indexUid);
    const params = validateSearchBody(searchQueryToBody(query(req)));
    return runSearch(ctx, req.params.indexUid, params);
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
      if (federated && (params.offset !== undefined || params.limit !== undefined || params.page !== undefined || params.hitsPerPage !== undefined)) {
        throw new SimError('invalid_multi_search_query_pagination', `Inside \`${path}\`: Using pagination options is not allowed in federated queries.\n - Hint: remove \`offset\`, \`limit\`, \`page\` or \`hitsPerPage\` from query #${i} or remove \`federation\` from the request`);
      }
      return { indexUid, params, weight };
    });

    if (!federated) {
      const results = queries.map((qr, i) => {
        try {
          return { indexUid: qr.indexUid, ...runSearch(ctx, qr.indexUid, qr.params) };
        } catch (err) {
          return inside(i, err);
        }
      });
      return { results };
    }

    const fed = body.federation;
    if (!isObject(fed)) throw errors.invalidType('invalid_multi_search_federated', '.federation', 'an object', fed);
    const offset = fed.offset === undefined ? 0 : fed.offset;
    const limit = fed.limit === undefined ? 20 : fed.limit;
    if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) throw errors.invalidType('invalid_search_offset', '.federation.offset', 'a positive integer', offset);
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) throw errors.invalidType('invalid_search_limit', '.federation.limit', 'a positive integer', limit);
    const started = Date.now();
    const merged: Array<{ hit: Doc; score: number; pos: number; order: number }> = [];
    let estimatedTotalHits = 0;
    queries.forEach((qr, i) => {
      let res: SearchResponse;
      try {
        res = runSearch(ctx, qr.indexUid, { ...qr.params, offset: 0, limit: offset + limit, showRankingScore: true });
      } catch (err) {
        inside(i, err);
      }
      estimatedTotalHits += res.estimatedTotalHits ?? res.totalHits ?? res.hits.length;
      res.hits.forEach((h, order) => {
        const score = typeof h._rankingScore === 'number' ? h._rankingScore : 0;
        const hit: Doc = { ...h };
        if (!qr.params.showRankingScore) delete hit._rankingScore;
        hit._federation = { indexUid: qr.indexUid, queriesPosition: i, weightedRankingScore: score * qr.weight };
        merged.push({ hit, score: score * qr.weight, pos: i, order });
      });
    });
    merged.sort((a, b) => b.score - a.score || a.pos - b.pos || a.order - b.order);
    return {
      hits: merged.slice(offset, offset + limit).map((m) => m.hit),
      processingTimeMs: Date.now() - started,
      limit,
      offset,
      estimatedTotalHits,
    };
  });
}
