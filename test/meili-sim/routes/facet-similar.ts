// POST /indexes/{uid}/facet-search and GET|POST /indexes/{uid}/similar.
//
// The dev node has no embedders (see settings), so a similar search always ends, after Meilisearch's
// own validation of the body, with its "Cannot find embedder" answer (Meilisearch judges the id and
// the filter only after the embedder); facet search is complete.
import type { FastifyInstance } from 'fastify';
import { errors } from '../error-catalog';
import { SimError } from '../errors';
import { validateSearchBody } from '../http/search-params';
import { checkIndexUid, getIndex, guard, isObject, jsonBody, qbool, qint, qstr, query, type Ctx } from '../http/request';
import { assertFacetSearchable, facetSearchHits } from '../search/facet-search';
import type { SearchParams } from '../search/types';

type IndexParams = { Params: { indexUid: string } };

/** Facet search reads these search fields, checked with search's codes; other fields are ignored. */
const SEARCH_PART = ['q', 'vector', 'media', 'hybrid', 'filter', 'matchingStrategy', 'attributesToSearchOn', 'rankingScoreThreshold', 'locales'];

function facetSearchBody(body: unknown): { facetName: string; facetQuery: string | null; params: SearchParams } {
  if (!isObject(body)) throw errors.invalidType('bad_request', '', 'an object', body);
  let params: SearchParams = {};
  for (const [k, v] of Object.entries(body)) {
    if (SEARCH_PART.includes(k)) params = { ...params, ...validateSearchBody({ [k]: v }) };
    else if (k === 'facetName' && typeof v !== 'string') throw errors.invalidType('invalid_facet_search_facet_name', '.facetName', 'a string', v);
    else if (k === 'facetQuery' && v !== null && typeof v !== 'string') throw errors.invalidType('invalid_facet_search_query', '.facetQuery', 'a string', v);
    else if (k === 'exhaustiveFacetCount' && v !== null && typeof v !== 'boolean') {
      throw errors.invalidType('invalid_facet_search_exhaustive_facet_count', '.exhaustiveFacetCount', 'a boolean', v);
    }
  }
  if (body.facetName === undefined) throw new SimError('missing_facet_search_facet_name', 'Missing field `facetName`');
  return { facetName: body.facetName as string, facetQuery: typeof body.facetQuery === 'string' ? body.facetQuery : null, params };
}

const SIMILAR_FIELDS = ['id', 'offset', 'limit', 'filter', 'embedder', 'attributesToRetrieve', 'retrieveVectors', 'showRankingScore', 'showRankingScoreDetails', 'showPerformanceDetails', 'rankingScoreThreshold'];
const SIMILAR_PARAMETERS = ['id', 'embedder', 'offset', 'limit', 'attributesToRetrieve', 'retrieveVectors', 'filter', 'showRankingScore', 'showRankingScoreDetails', 'showPerformanceDetails', 'rankingScoreThreshold'];
const code = (k: string): string => `invalid_similar_${k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;

function checkSimilarField(k: string, v: unknown): void {
  const path = `.${k}`;
  // `id` and `filter` are any JSON value until Meilisearch judges them, after the embedder.
  if (k === 'id' || k === 'filter') return;
  if (k === 'offset' || k === 'limit') {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw errors.invalidType(code(k), path, 'a positive integer', v);
  } else if (k === 'embedder') {
    if (typeof v !== 'string') throw errors.invalidType(code(k), path, 'a string', v);
  } else if (k === 'attributesToRetrieve') {
    if (v !== null && (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))) throw errors.invalidType(code(k), path, 'an array', v);
  } else if (k === 'rankingScoreThreshold') {
    if (v !== null && typeof v !== 'number') throw errors.invalidType(code(k), path, 'a number', v);
    if (typeof v === 'number' && !(v >= 0 && v <= 1)) {
      throw new SimError(code(k), `Invalid value at \`${path}\`: the value of \`rankingScoreThreshold\` is invalid, expected a float between \`0.0\` and \`1.0\`.`);
    }
  } else if (typeof v !== 'boolean') throw errors.invalidType(code(k), path, 'a boolean', v);
}

function similarBody(body: unknown): { embedder: string } {
  if (!isObject(body)) throw errors.invalidType('bad_request', '', 'an object', body);
  for (const [k, v] of Object.entries(body)) {
    if (!SIMILAR_FIELDS.includes(k)) throw new SimError('bad_request', `Unknown field \`${k}\`: expected one of ${SIMILAR_FIELDS.map((f) => `\`${f}\``).join(', ')}`);
    checkSimilarField(k, v);
  }
  if (body.id === undefined) throw new SimError('bad_request', 'Missing field `id`');
  if (body.embedder === undefined) throw new SimError('bad_request', 'Missing field `embedder`');
  return { embedder: body.embedder as string };
}

function similarQuery(q: Record<string, string | string[] | undefined>): { embedder: string } {
  for (const k of Object.keys(q)) {
    if (!SIMILAR_PARAMETERS.includes(k)) {
      throw new SimError('bad_request', `Unknown parameter \`${k}\`: expected one of ${SIMILAR_PARAMETERS.map((f) => `\`${f}\``).join(', ')}`);
    }
  }
  for (const k of Object.keys(q)) {
    const raw = qstr(q, k)!;
    if (k === 'offset' || k === 'limit') qint(q, k, code(k), 0);
    else if (['retrieveVectors', 'showRankingScore', 'showRankingScoreDetails', 'showPerformanceDetails'].includes(k)) qbool(q, k, code(k));
    else if (k === 'rankingScoreThreshold' && (raw.trim() === '' || !(Number(raw) >= 0 && Number(raw) <= 1))) {
      throw new SimError(code(k), `Invalid value in parameter \`${k}\`: the value of \`rankingScoreThreshold\` is invalid, expected a float between \`0.0\` and \`1.0\`.`);
    }
  }
  const id = qstr(q, 'id');
  const embedder = qstr(q, 'embedder');
  if (id === undefined) throw new SimError('bad_request', 'Missing parameter `id`');
  if (embedder === undefined) throw new SimError('bad_request', 'Missing parameter `embedder`');
  return { embedder };
}

export function registerFacetSimilarRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.post<IndexParams>('/indexes/:indexUid/facet-search', async (req) => {
    guard(ctx, req, { action: 'search', indexes: [req.params.indexUid] });
    const started = Date.now();
    const { facetName, facetQuery, params } = facetSearchBody(jsonBody(req));
    checkIndexUid(req.params.indexUid);
    const index = getIndex(ctx, req.params.indexUid);
    if (!index.extra.facetSearch) throw new SimError('facet_search_disabled', 'The facet search is disabled for this index');
    assertFacetSearchable(facetName, index.settings);
    const docs = index.engine.matchingDocuments(params);
    return { facetHits: facetSearchHits(docs, facetName, facetQuery, index.settings), facetQuery, processingTimeMs: Date.now() - started };
  });

  const similar = (uid: string, embedder: string): never => {
    checkIndexUid(uid);
    const index = getIndex(ctx, uid);
    if (!(embedder in index.extra.embedders)) throw new SimError('invalid_similar_embedder', `Cannot find embedder with name \`${embedder}\`.`);
    throw errors.internal('the dev node does not compute embeddings');
  };
  app.post<IndexParams>('/indexes/:indexUid/similar', async (req) => {
    guard(ctx, req, { action: 'search', indexes: [req.params.indexUid] });
    return similar(req.params.indexUid, similarBody(jsonBody(req)).embedder);
  });
  app.get<IndexParams>('/indexes/:indexUid/similar', async (req) => {
    guard(ctx, req, { action: 'search', indexes: [req.params.indexUid] });
    return similar(req.params.indexUid, similarQuery(query(req)).embedder);
  });
}
