import { Injectable } from '@nestjs/common';
import { mergeFacetDistributions, mergeFacetStats, type FacetDistribution, type FacetStats, type SearchResponse } from '@miroir/core';
import { MeiliError } from '../errors/meili-error';
import { federationWindow, mergeFederated, type FederatedQueryAnswer, type FederatedResponse } from './federated-merge';
import { insideQuery, readErrors } from './read-errors';
import type { ReadContext } from './read-hooks';
import { validateSearchBody, type SearchQuery } from './search-params';
import { SearchService, type ReadResult } from './search.service';

interface ParsedQuery {
  readonly indexUid: string;
  readonly params: SearchQuery;
  readonly weight: number;
}

interface Federation {
  readonly offset?: number;
  readonly limit?: number;
  readonly page?: number;
  readonly hitsPerPage?: number;
  readonly facetsByIndex?: Record<string, string[]>;
  readonly mergeFacets?: { maxValuesPerFacet?: number };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const FEDERATION_FIELDS = ['offset', 'limit', 'page', 'hitsPerPage', 'facetsByIndex', 'mergeFacets'];

/** POST /multi-search: every query scattered on its own, in parallel (SPEC §5). */
@Injectable()
export class MultiSearchService {
  constructor(private readonly search: SearchService) {}

  async multiSearch(body: Record<string, unknown>, ctx: ReadContext): Promise<ReadResult<unknown>> {
    for (const k of Object.keys(body)) if (k !== 'queries' && k !== 'federation') throw readErrors.unknownField(k, ['queries', 'federation']);
    if (body['queries'] === undefined) throw readErrors.missingField('bad_request', 'queries');
    if (!Array.isArray(body['queries'])) throw readErrors.invalidType('bad_request', '.queries', 'an array', body['queries']);
    const federated = body['federation'] !== undefined && body['federation'] !== null;
    const federation = federated ? parseFederation(body['federation']) : undefined;
    const queries = body['queries'].map((raw, i) => parseQuery(raw, i, federated));
    return federation ? this.federated(queries, federation, ctx) : this.independent(queries, ctx);
  }

  private async independent(queries: readonly ParsedQuery[], ctx: ReadContext): Promise<ReadResult<unknown>> {
    const answers = await inOrder(queries.map((q) => this.search.search(q.indexUid, q.params, ctx)));
    const results = answers.map((a, i) => ({ indexUid: queries[i]!.indexUid, ...a.body }));
    return { body: { results }, headers: combineHeaders(queries, answers.map((a) => a.headers)) };
  }

  private async federated(queries: readonly ParsedQuery[], federation: Federation, ctx: ReadContext): Promise<ReadResult<unknown>> {
    const window = federationWindow(federation);
    const pageMode = federation.page !== undefined || federation.hitsPerPage !== undefined;
    const facetsFor = (uid: string): string[] | undefined => federation.facetsByIndex?.[uid];
    for (const uid of Object.keys(federation.facetsByIndex ?? {})) {
      if (!queries.some((q) => q.indexUid === uid)) {
        throw new MeiliError(
          'invalid_multi_search_facets_by_index',
          `Inside \`.federation.facetsByIndex.${uid}\`: Index \`${uid}\` is not used in queries.`,
        );
      }
    }
    // Facets of an index are computed once, by its first query (as Meilisearch).
    const facetQuery = new Map<string, number>();
    queries.forEach((q, i) => {
      if (facetsFor(q.indexUid) && !facetQuery.has(q.indexUid)) facetQuery.set(q.indexUid, i);
    });
    const runs = await inOrder(
      queries.map((q, i) => {
        const params: SearchQuery = {
          ...q.params,
          ...(pageMode ? { page: 1, hitsPerPage: window } : { offset: 0, limit: window }),
          showRankingScore: true,
          ...(facetQuery.get(q.indexUid) === i ? { facets: facetsFor(q.indexUid) } : {}),
        };
        return this.search.search(q.indexUid, params, ctx);
      }),
    );
    const answers: FederatedQueryAnswer[] = runs.map((r, i) => ({
      indexUid: queries[i]!.indexUid,
      weight: queries[i]!.weight,
      showRankingScore: queries[i]!.params.showRankingScore === true,
      response: r.body,
    }));
    const response: FederatedResponse = mergeFederated(federation, answers);
    if (facetQuery.size > 0) addFederatedFacets(response, federation, facetQuery, runs.map((r) => r.body));
    return { body: response, headers: combineHeaders(queries, runs.map((r) => r.headers)) };
  }
}

/**
 * Runs every query in parallel; when some fail, the error of the first failing query (in input
 * order, as Meilisearch reports it) is thrown, prefixed with its position.
 */
async function inOrder<T>(runs: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(runs);
  const failed = settled.findIndex((s) => s.status === 'rejected');
  if (failed >= 0) throw insideQuery(failed, (settled[failed] as PromiseRejectedResult).reason);
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

function parseQuery(raw: unknown, i: number, federated: boolean): ParsedQuery {
  const path = `.queries[${i}]`;
  if (!isObject(raw)) throw readErrors.invalidType('bad_request', path, 'an object', raw);
  if (raw['indexUid'] === undefined) throw readErrors.missingField('missing_index_uid', 'indexUid', path);
  if (typeof raw['indexUid'] !== 'string') throw readErrors.invalidType('invalid_index_uid', `${path}.indexUid`, 'a string', raw['indexUid']);
  const params = validateSearchBody(raw, ['indexUid', 'federationOptions'], path);
  const { indexUid: _uid, federationOptions: fo, ...rest } = params;
  let weight = 1;
  if (fo !== undefined && fo !== null) {
    if (!federated) {
      throw new MeiliError(
        'invalid_multi_search_federation_options',
        `Inside \`${path}\`: Using \`federationOptions\` is not allowed in a non-federated search.\n - Hint: remove \`federationOptions\` from query #${i} or add \`federation\` to the request.`,
      );
    }
    if (!isObject(fo)) throw readErrors.invalidType('invalid_multi_search_federation_options', `${path}.federationOptions`, 'an object', fo);
    for (const k of Object.keys(fo)) if (k !== 'weight' && k !== 'remote') throw readErrors.unknownField(k, ['weight', 'remote'], `${path}.federationOptions`);
    if (fo['weight'] !== undefined) {
      if (typeof fo['weight'] !== 'number' || fo['weight'] < 0) {
        throw readErrors.invalidType('invalid_multi_search_weight', `${path}.federationOptions.weight`, 'a positive number', fo['weight']);
      }
      weight = fo['weight'];
    }
  }
  if (federated) {
    if (['offset', 'limit', 'page', 'hitsPerPage'].some((k) => rest[k] !== undefined)) {
      throw new MeiliError(
        'invalid_multi_search_query_pagination',
        `Inside \`${path}\`: Using pagination options is not allowed in federated queries.\n - Hint: remove \`offset\`, \`limit\`, \`page\` or \`hitsPerPage\` from query #${i} or remove \`federation\` from the request`,
      );
    }
    if (Array.isArray(rest['facets']) && rest['facets'].length > 0) {
      throw new MeiliError(
        'invalid_multi_search_query_facets',
        `Inside \`${path}\`: Using facets is not allowed in federated queries.\n - Hint: remove \`facets\` from query #${i} or remove \`federation\` from the request\n - Hint: pass \`federation.facetsByIndex.${raw['indexUid']}: ${JSON.stringify(rest['facets'])}\` instead`,
      );
    }
  }
  return { indexUid: raw['indexUid'], params: rest as SearchQuery, weight };
}

function parseFederation(v: unknown): Federation {
  if (!isObject(v)) throw readErrors.invalidType('invalid_multi_search_federated', '.federation', 'an object', v);
  for (const k of Object.keys(v)) if (!FEDERATION_FIELDS.includes(k)) throw readErrors.unknownField(k, FEDERATION_FIELDS, '.federation');
  const out: Record<string, unknown> = {};
  for (const k of ['offset', 'limit', 'page', 'hitsPerPage']) {
    const n = v[k];
    if (n === undefined || n === null) continue;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      throw readErrors.invalidType(`invalid_search_${k === 'hitsPerPage' ? 'hits_per_page' : k}`, `.federation.${k}`, 'a positive integer', n);
    }
    out[k] = n;
  }
  const fbi = v['facetsByIndex'];
  if (fbi !== undefined && fbi !== null) {
    if (!isObject(fbi)) throw readErrors.invalidType('invalid_multi_search_facets_by_index', '.federation.facetsByIndex', 'an object', fbi);
    for (const [uid, facets] of Object.entries(fbi)) {
      if (facets === null) continue;
      if (!Array.isArray(facets) || facets.some((f) => typeof f !== 'string')) {
        throw readErrors.invalidType('invalid_multi_search_facets_by_index', `.federation.facetsByIndex.${uid}`, 'an array of strings', facets);
      }
    }
    out['facetsByIndex'] = Object.fromEntries(Object.entries(fbi).filter(([, f]) => f !== null));
  }
  const mf = v['mergeFacets'];
  if (mf !== undefined && mf !== null) {
    if (!isObject(mf)) throw readErrors.invalidType('invalid_multi_search_merge_facets', '.federation.mergeFacets', 'an object', mf);
    const max = mf['maxValuesPerFacet'];
    if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 0)) {
      throw readErrors.invalidType('invalid_multi_search_max_values_per_facet', '.federation.mergeFacets.maxValuesPerFacet', 'a positive integer', max);
    }
    out['mergeFacets'] = max === undefined ? {} : { maxValuesPerFacet: max };
  }
  return out as Federation;
}

/** `facetsByIndex` (per index), or with `mergeFacets` one `facetDistribution`/`facetStats`. */
function addFederatedFacets(response: FederatedResponse, federation: Federation, facetQuery: ReadonlyMap<string, number>, bodies: readonly SearchResponse[]): void {
  const byIndex: Record<string, { distribution: FacetDistribution; stats: FacetStats }> = {};
  for (const [uid, i] of facetQuery) {
    byIndex[uid] = { distribution: bodies[i]!.facetDistribution ?? {}, stats: bodies[i]!.facetStats ?? {} };
  }
  if (federation.mergeFacets) {
    const values = Object.values(byIndex);
    response['facetDistribution'] = mergeFacetDistributions(values.map((v) => v.distribution), { maxValuesPerFacet: federation.mergeFacets.maxValuesPerFacet ?? 100 }) ?? {};
    response['facetStats'] = mergeFacetStats(values.map((v) => v.stats)) ?? {};
  } else {
    response['facetsByIndex'] = byIndex;
  }
}

/** One X-Miroir-Degraded for the request, naming the index of each degraded query. */
function combineHeaders(queries: readonly ParsedQuery[], headers: readonly Record<string, string>[]): Record<string, string> {
  const out: Record<string, string> = {};
  const degraded: string[] = [];
  headers.forEach((h, i) => {
    for (const [k, v] of Object.entries(h)) {
      if (k === 'X-Miroir-Degraded') {
        const entry = `index=${queries[i]!.indexUid};${v}`;
        if (!degraded.includes(entry)) degraded.push(entry);
      } else out[k] = v;
    }
  });
  if (degraded.length > 0) out['X-Miroir-Degraded'] = degraded.join(', ');
  return out;
}
