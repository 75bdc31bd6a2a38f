import { firstOfEachValue, kWayMerge, paginationOf, pageWindow, type Hit, type PaginationParams, type SearchResponse } from '@miroir/core';

// Federated multi-search (docs/design.md#read-path): the queries' own merged answers (each already merged over the
// shards) combined into one list by weighted ranking score, as Meilisearch does across indexes.

export interface FederatedQueryAnswer {
  readonly indexUid: string;
  readonly weight: number;
  /** Whether the client asked for `_rankingScore` in this query. */
  readonly showRankingScore: boolean;
  /** The query's answer for hits [0, window), ranking scores included. */
  readonly response: SearchResponse;
}

interface Entry {
  readonly hit: Hit;
  readonly weighted: number;
  readonly answer: FederatedQueryAnswer;
  readonly position: number;
}

export interface FederatedResponse {
  hits: Hit[];
  processingTimeMs: number;
  limit?: number;
  offset?: number;
  estimatedTotalHits?: number;
  hitsPerPage?: number;
  page?: number;
  totalPages?: number;
  totalHits?: number;
  [field: string]: unknown;
}

/** The hits window every query must return for the federation's page to be exact. */
export function federationWindow(federation: PaginationParams): number {
  return pageWindow(paginationOf(federation)).end;
}

export interface FederatedMergeOptions {
  /**
   * `federation.distinct`: one hit per value of this attribute over the whole merged list, the
   * best ranked kept (Meilisearch compares values as facet values). Every hit the queries
   * returned is looked at, and each one dropped lowers the total by one, as Meilisearch counts.
   */
  readonly distinct?: string;
  /** Called with each hit `distinct` drops (its facet values are then taken off the facets). */
  readonly onRejected?: (indexUid: string, hit: Hit) => void;
}

/**
 * Merges by weighted `_rankingScore` descending; ties keep query order, then each query's order.
 * Each hit gains `_federation` and loses `_rankingScore` unless its query asked for it.
 */
export function mergeFederated(federation: PaginationParams, answers: readonly FederatedQueryAnswer[], options: FederatedMergeOptions = {}): FederatedResponse {
  const pagination = paginationOf(federation);
  const { start, end } = pageWindow(pagination);
  const lists: Entry[][] = answers.map((answer) =>
    answer.response.hits.map((hit, position) => {
      const score = typeof hit['_rankingScore'] === 'number' ? hit['_rankingScore'] : 0;
      return { hit, weighted: score * answer.weight, answer, position };
    }),
  );
  let rejected = 0;
  let accept: ((e: Entry) => boolean) | undefined;
  if (options.distinct !== undefined) {
    const first = firstOfEachValue(options.distinct);
    accept = (e) => {
      if (first(e.hit)) return true;
      rejected++;
      options.onRejected?.(e.answer.indexUid, e.hit);
      return false;
    };
  }
  const merged = kWayMerge(lists, (a, b) => b.weighted - a.weighted, accept ? Infinity : end, accept);
  const hits = merged.slice(start, end).map((e) => {
    const out: Hit = { ...e.hit };
    if (!e.answer.showRankingScore) delete out['_rankingScore'];
    out['_federation'] = {
      indexUid: e.answer.indexUid,
      queriesPosition: answers.indexOf(e.answer),
      weightedRankingScore: e.weighted,
    };
    return out;
  });
  const total = Math.max(0, answers.reduce((s, a) => s + (a.response.estimatedTotalHits ?? a.response.totalHits ?? 0), 0) - rejected);
  const response: FederatedResponse = {
    hits,
    processingTimeMs: answers.reduce((m, a) => Math.max(m, a.response.processingTimeMs), 0),
  };
  if (pagination.mode === 'offset') {
    response.limit = pagination.limit;
    response.offset = pagination.offset;
    response.estimatedTotalHits = total;
  } else {
    response.hitsPerPage = pagination.hitsPerPage;
    response.page = pagination.page;
    response.totalPages = pagination.hitsPerPage > 0 ? Math.ceil(total / pagination.hitsPerPage) : 0;
    response.totalHits = total;
  }
  return response;
}
