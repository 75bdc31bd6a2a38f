// Meilisearch's two pagination modes. Either `page` or `hitsPerPage` switches to page mode
// (exhaustive totalHits/totalPages); otherwise offset/limit with estimatedTotalHits.
// pagination.maxTotalHits bounds which hits can be returned, but Meilisearch 1.50 reports the
// totals uncapped (a placeholder search over 805 documents says 805 even with a 500 limit).

import type { SearchParams } from './types';

export interface Window {
  offset: number;
  limit: number;
  pageMode: boolean;
  page: number;
  hitsPerPage: number;
}

export function resolveWindow(params: SearchParams, maxTotalHits: number): Window {
  const pageMode = params.page != null || params.hitsPerPage != null;
  if (pageMode) {
    const page = params.page ?? 1;
    const hitsPerPage = params.hitsPerPage ?? 20;
    const offset = page === 0 ? 0 : (page - 1) * hitsPerPage;
    const limit = page === 0 ? 0 : Math.min(hitsPerPage, Math.max(0, maxTotalHits - offset));
    return { offset, limit, pageMode, page, hitsPerPage };
  }
  const offset = params.offset ?? 0;
  const requested = params.limit ?? 20;
  const limit = Math.min(requested, Math.max(0, maxTotalHits - offset));
  return { offset, limit, pageMode, page: 0, hitsPerPage: 0 };
}

export function paginationFields(window: Window, params: SearchParams, total: number): Record<string, number> {
  if (window.pageMode) {
    const totalPages = window.hitsPerPage === 0 ? 0 : Math.ceil(total / window.hitsPerPage);
    return { hitsPerPage: window.hitsPerPage, page: window.page, totalPages, totalHits: total };
  }
  return { offset: params.offset ?? 0, limit: params.limit ?? 20, estimatedTotalHits: total };
}
