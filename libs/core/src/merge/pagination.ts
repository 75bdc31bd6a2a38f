// Pagination is applied after the merge (docs/design.md#read-path): each node is asked for the whole window from
// the first hit, and the client's page is cut from the merged list.

export type Pagination =
  | { readonly mode: 'offset'; readonly offset: number; readonly limit: number }
  | { readonly mode: 'page'; readonly page: number; readonly hitsPerPage: number };

export interface PaginationParams {
  readonly offset?: number | null;
  readonly limit?: number | null;
  readonly page?: number | null;
  readonly hitsPerPage?: number | null;
}

const DEFAULT_LIMIT = 20;

/** Meilisearch switches to page mode as soon as `page` or `hitsPerPage` is given. */
export function paginationOf(params: PaginationParams): Pagination {
  if (params.page != null || params.hitsPerPage != null) {
    return { mode: 'page', page: params.page ?? 1, hitsPerPage: params.hitsPerPage ?? DEFAULT_LIMIT };
  }
  return { mode: 'offset', offset: params.offset ?? 0, limit: params.limit ?? DEFAULT_LIMIT };
}

/** [start, end) of the client's page in the merged list, end capped at maxTotalHits. */
export function pageWindow(p: Pagination, maxTotalHits = Infinity): { start: number; end: number } {
  let start: number;
  let end: number;
  if (p.mode === 'offset') {
    start = p.offset;
    end = p.offset + p.limit;
  } else if (p.page < 1) {
    start = 0;
    end = 0;
  } else {
    start = (p.page - 1) * p.hitsPerPage;
    end = p.page * p.hitsPerPage;
  }
  end = Math.min(end, maxTotalHits);
  return { start: Math.min(start, end), end };
}

/** The pagination parameters to send each node: the whole window from its first hit. */
export function nodePagination(p: Pagination): Record<string, number> {
  if (p.mode === 'offset') return { offset: 0, limit: p.offset + p.limit };
  // Page mode is kept so nodes report the exhaustive totalHits that are summed.
  return { page: 1, hitsPerPage: p.page < 1 ? 0 : p.page * p.hitsPerPage };
}
