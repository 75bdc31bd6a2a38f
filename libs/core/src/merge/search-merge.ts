// The scatter-gather search merge of docs/design.md#read-path.

import { DistinctOptions, firstOfEachValue, withoutField } from './distinct';
import { FacetDistribution, FacetStats, FacetingOptions, mergeFacetDistributions, mergeFacetStats } from './facets';
import { kWayMerge } from './k-way-merge';
import { Pagination, PaginationParams, nodePagination, pageWindow, paginationOf } from './pagination';
import { Hit, RankedHit, compareRanked, rankHit, ruleOrder } from './ranking';
import { SortRule, parseSortRules } from '../query';
import { stripReserved } from '../reserved';

export type { Hit } from './ranking';

export interface ClientSearchParams extends PaginationParams {
  readonly q?: string | null;
  readonly sort?: readonly string[] | null;
  readonly showRankingScore?: boolean | null;
  readonly showRankingScoreDetails?: boolean | null;
  readonly attributesToSearchOn?: readonly string[] | null;
  readonly attributesToRetrieve?: readonly string[] | null;
  readonly distinct?: string | null;
  readonly [key: string]: unknown;
}

/** What a node answers (Meilisearch's search response, either pagination mode). */
export interface NodeSearchResponse {
  readonly hits: readonly Hit[];
  readonly query?: string;
  readonly processingTimeMs?: number;
  readonly estimatedTotalHits?: number;
  readonly totalHits?: number;
  readonly facetDistribution?: FacetDistribution;
  readonly facetStats?: FacetStats;
}

export interface SearchResponse {
  hits: Hit[];
  query: string;
  processingTimeMs: number;
  limit?: number;
  offset?: number;
  estimatedTotalHits?: number;
  hitsPerPage?: number;
  page?: number;
  totalPages?: number;
  totalHits?: number;
  facetDistribution?: FacetDistribution;
  facetStats?: FacetStats;
}

export interface MergeOptions {
  readonly faceting?: FacetingOptions;
  /** The index's `pagination.maxTotalHits` (default 1000): no hit beyond it is returned. */
  readonly maxTotalHits?: number;
  /** The distinct attribute in force, if any: one hit per value across nodes too. */
  readonly distinct?: DistinctOptions;
}

function sortRulesOf(sort: readonly string[] | null | undefined): SortRule[] {
  if (!sort || sort.length === 0) return [];
  try {
    return parseSortRules(sort);
  } catch {
    return []; // malformed: every node rejects it with Meilisearch's error
  }
}

/**
 * The request each node receives: the client's, with the whole window from hit 0, ranking scores
 * always on, and score details on when sorting (they carry the values each node sorted by).
 */
export function nodeSearchParams(params: ClientSearchParams, distinct?: DistinctOptions): Record<string, unknown> {
  const { offset: _o, limit: _l, page: _p, hitsPerPage: _h, ...rest } = params;
  const sorting = sortRulesOf(params.sort).length > 0;
  return {
    ...rest,
    ...nodePagination(paginationOf(params)),
    showRankingScore: true,
    ...(sorting ? { showRankingScoreDetails: true } : {}),
    // The merge needs each hit's distinct value to drop repeats across nodes.
    ...(distinct?.hide ? { attributesToRetrieve: [...(params.attributesToRetrieve ?? []), distinct.attribute] } : {}),
  };
}

/** One hit as the client sees it: no reserved field at any depth, scores only when asked for. */
export function presentHit(hit: Hit, showRankingScore: boolean, showRankingScoreDetails: boolean): Hit {
  const out: Hit = {};
  for (const key in hit) {
    if (key.startsWith('_miroir_')) continue;
    if (key === '_rankingScore' && !showRankingScore) continue;
    if (key === '_rankingScoreDetails' && !showRankingScoreDetails) continue;
    const v = hit[key];
    out[key] = typeof v === 'object' && v !== null ? stripReserved(v) : v;
  }
  return out;
}

/** A hit without a field Miroir asked the nodes for on its own account, in `_formatted` too. */
function hideField(hit: Hit, path: string): Hit {
  const out = withoutField(hit, path);
  const formatted = out['_formatted'];
  if (typeof formatted === 'object' && formatted !== null && !Array.isArray(formatted)) out['_formatted'] = withoutField(formatted as Hit, path);
  return out;
}

/**
 * Merges node answers (in covering-set order) into the client's answer: hits ordered by the sort
 * rules then `_rankingScore` (ties: node order, then position), the client's page cut after the
 * merge, totals and facet counts summed, facet stats min/max, `processingTimeMs` the max.
 */
export function mergeSearchResults(
  params: ClientSearchParams,
  nodes: readonly NodeSearchResponse[],
  options: MergeOptions = {},
): SearchResponse {
  const pagination: Pagination = paginationOf(params);
  const maxTotalHits = options.maxTotalHits ?? 1000;
  const { start, end } = pageWindow(pagination, maxTotalHits);
  const sortRules = sortRulesOf(params.sort);
  let ruleNames: string[] = [];
  if (sortRules.length > 0) {
    const first = nodes.find((n) => n.hits.length > 0)?.hits[0];
    ruleNames = first ? ruleOrder(first['_rankingScoreDetails']) : [];
  }
  const lists = nodes.map((n) => n.hits.map((hit): RankedHit => rankHit(hit, ruleNames)));
  const distinct = options.distinct;
  const accept = distinct ? firstOfEachValue(distinct.attribute) : undefined;
  const merged = kWayMerge(lists, compareRanked(sortRules), end, accept && ((e: RankedHit) => accept(e.hit)));
  const showScore = params.showRankingScore === true;
  const showDetails = params.showRankingScoreDetails === true;
  let hits = merged.slice(start, end).map((e) => presentHit(e.hit, showScore, showDetails));
  if (distinct?.hide) hits = hits.map((h) => hideField(h, distinct.attribute));

  const response: SearchResponse = {
    hits,
    query: params.q ?? '',
    processingTimeMs: nodes.reduce((m, n) => Math.max(m, n.processingTimeMs ?? 0), 0),
  };
  // Each node caps its count at maxTotalHits, as one Meilisearch holding everything caps the
  // total: min(sum, cap) equals that single node's answer exactly — either no node reached its
  // cap and the sum is exact, or one did and the true total is at least the cap.
  const total = (n: NodeSearchResponse): number => n.estimatedTotalHits ?? n.totalHits ?? 0;
  const summed = Math.min(nodes.reduce((s, n) => s + total(n), 0), maxTotalHits);
  if (pagination.mode === 'offset') {
    response.limit = pagination.limit;
    response.offset = pagination.offset;
    response.estimatedTotalHits = summed;
  } else {
    const totalHits = summed;
    response.hitsPerPage = pagination.hitsPerPage;
    response.page = pagination.page;
    response.totalPages = pagination.hitsPerPage > 0 ? Math.ceil(totalHits / pagination.hitsPerPage) : 0;
    response.totalHits = totalHits;
  }
  const facetDistribution = mergeFacetDistributions(nodes.map((n) => n.facetDistribution), options.faceting);
  if (facetDistribution !== undefined) response.facetDistribution = facetDistribution;
  const facetStats = mergeFacetStats(nodes.map((n) => n.facetStats));
  if (facetStats !== undefined) response.facetStats = facetStats;
  return response;
}
