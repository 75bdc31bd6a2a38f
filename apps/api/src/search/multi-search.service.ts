import { Injectable } from '@nestjs/common';
import {
  mergeFacetDistributions,
  mergeFacetStats,
  mergePerformanceDetails,
  removeHitsFromDistribution,
  type FacetDistribution,
  type FacetStats,
  type Hit,
  type PerformanceDetails,
  type SearchResponse,
} from '@miroir/core';
import { MeiliError } from '../errors/meili-error';
import { missingFields, queryPositionOf, withExtraFields, withoutExtraFields } from './federated-extras';
import { federationWindow, mergeFederated, type FederatedQueryAnswer, type FederatedResponse } from './federated-merge';
import { checkFederatedQuery, parseFederation, type Federation } from './federation-params';
import { elapsedNs, FAN_OUT_STEP, MERGE_STEP, nodeDetails } from './performance-details';
import { insideQuery, readErrors } from './read-errors';
import type { ReadContext } from './read-hooks';
import { validateSearchBody, type SearchQuery } from './search-params';
import { SearchService, type ReadResult } from './search.service';
import type { Principal } from '../auth/principal';
import { scopeQueries } from './tenant-scope';

interface ParsedQuery {
  readonly indexUid: string;
  readonly params: SearchQuery;
  readonly weight: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** POST /multi-search: every query scattered on its own, in parallel (docs/design.md#read-path). */
@Injectable()
export class MultiSearchService {
  constructor(private readonly search: SearchService) {}

  /** `principal`: whose request it is; a tenant token's rules restrict each query (tenant-scope.ts). */
  async multiSearch(body: Record<string, unknown>, ctx: ReadContext, principal?: Principal): Promise<ReadResult<unknown>> {
    for (const k of Object.keys(body)) if (k !== 'queries' && k !== 'federation') throw readErrors.unknownField(k, ['queries', 'federation']);
    if (body['queries'] === undefined) throw readErrors.missingField('bad_request', 'queries');
    if (!Array.isArray(body['queries'])) throw readErrors.invalidType('bad_request', '.queries', 'an array', body['queries']);
    const federated = body['federation'] !== undefined && body['federation'] !== null;
    const federation = federated ? parseFederation(body['federation']) : undefined;
    const queries = scopeQueries(body['queries'].map((raw, i) => parseQuery(raw, i, federation)), principal);
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
    // federation.distinct: every query is distinct on the attribute, and its hits carry the
    // values the merge reads (federated-extras.ts).
    const distinct = federation.distinct;
    const extras = queries.map((q) => (distinct === undefined ? [] : missingFields(q.params.attributesToRetrieve, [distinct, ...(facetsFor(q.indexUid) ?? [])])));
    const fanOutStart = process.hrtime.bigint();
    const runs = await inOrder(
      queries.map((q, i) => {
        const params: SearchQuery = {
          ...withExtraFields(q.params, extras[i]!),
          ...(pageMode ? { page: 1, hitsPerPage: window } : { offset: 0, limit: window }),
          showRankingScore: true,
          ...(distinct !== undefined ? { distinct } : {}),
          ...(federation.showPerformanceDetails ? { showPerformanceDetails: true } : {}),
          ...(facetQuery.get(q.indexUid) === i ? { facets: facetsFor(q.indexUid) } : {}),
        };
        return this.search.search(q.indexUid, params, ctx);
      }),
    );
    const fanOutNs = elapsedNs(fanOutStart);
    const mergeStart = process.hrtime.bigint();
    const answers: FederatedQueryAnswer[] = runs.map((r, i) => ({
      indexUid: queries[i]!.indexUid,
      weight: queries[i]!.weight,
      showRankingScore: queries[i]!.params.showRankingScore === true,
      response: r.body,
    }));
    const rejected = new Map<string, Hit[]>();
    const response: FederatedResponse = mergeFederated(federation, answers, {
      ...(distinct !== undefined ? { distinct, onRejected: (uid: string, hit: Hit) => void rejected.set(uid, [...(rejected.get(uid) ?? []), hit]) } : {}),
    });
    if (extras.some((e) => e.length > 0)) response.hits = response.hits.map((h) => withoutExtraFields(h, extras[queryPositionOf(h)] ?? []));
    if (facetQuery.size > 0) addFederatedFacets(response, federation, facetQuery, runs.map((r) => r.body), rejected);
    if (federation.showPerformanceDetails) {
      const perQuery = nodeDetails(runs.map((r) => r.body));
      response['performanceDetails'] = mergePerformanceDetails(perQuery, { [FAN_OUT_STEP]: fanOutNs, [MERGE_STEP]: elapsedNs(mergeStart) }) satisfies PerformanceDetails;
    }
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

function parseQuery(raw: unknown, i: number, federation: Federation | undefined): ParsedQuery {
  const federated = federation !== undefined;
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
        `Inside \`${path}\`: Using \`federationOptions\` is not allowed in a non-federated search.\n - Hint: remove \`federationOptions\` from the query or add \`federation\` to the request.`,
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
  if (federation) checkFederatedQuery(rest, raw['indexUid'], i, federation);
  return { indexUid: raw['indexUid'], params: rest as SearchQuery, weight };
}

/**
 * `facetsByIndex` (per index), or with `mergeFacets` one `facetDistribution`/`facetStats`; the
 * values of hits `federation.distinct` dropped are taken off the counts, as Meilisearch does.
 */
function addFederatedFacets(
  response: FederatedResponse,
  federation: Federation,
  facetQuery: ReadonlyMap<string, number>,
  bodies: readonly SearchResponse[],
  rejected: ReadonlyMap<string, Hit[]>,
): void {
  const byIndex: Record<string, { distribution: FacetDistribution; stats: FacetStats }> = {};
  for (const [uid, i] of facetQuery) {
    byIndex[uid] = { distribution: bodies[i]!.facetDistribution ?? {}, stats: bodies[i]!.facetStats ?? {} };
  }
  if (federation.mergeFacets) {
    const values = Object.values(byIndex);
    const merged = mergeFacetDistributions(values.map((v) => v.distribution), { maxValuesPerFacet: federation.mergeFacets.maxValuesPerFacet ?? 100 }) ?? {};
    response['facetDistribution'] = removeHitsFromDistribution(merged, [...rejected.values()].flat());
    response['facetStats'] = mergeFacetStats(values.map((v) => v.stats)) ?? {};
  } else {
    for (const [uid, entry] of Object.entries(byIndex)) entry.distribution = removeHitsFromDistribution(entry.distribution, rejected.get(uid) ?? []);
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
