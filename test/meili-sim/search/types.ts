// Contract between the dev node's HTTP/storage layer (test/meili-sim/*) and its search engine
// (test/meili-sim/search/*). The HTTP layer validates request shapes and types at the edge; the
// engine trusts the types and throws SimError only for semantic errors (e.g. a filter on an
// attribute that is not filterable, a sort on one that is not sortable).

export type Doc = Record<string, unknown>;

/** Meilisearch v1.x index settings, every field present (defaults filled in by the HTTP layer). */
export interface IndexSettings {
  displayedAttributes: string[]; // ['*'] by default
  searchableAttributes: string[]; // ['*'] by default
  filterableAttributes: string[];
  sortableAttributes: string[];
  rankingRules: string[]; // ['words','typo','proximity','attribute','sort','exactness'] (+ 'field:asc|desc')
  stopWords: string[];
  nonSeparatorTokens: string[];
  separatorTokens: string[];
  dictionary: string[];
  synonyms: Record<string, string[]>;
  distinctAttribute: string | null;
  proximityPrecision: 'byWord' | 'byAttribute';
  typoTolerance: {
    enabled: boolean;
    minWordSizeForTypos: { oneTypo: number; twoTypos: number }; // 5 and 9
    disableOnWords: string[];
    disableOnAttributes: string[];
    /** Optional so that settings stored before it existed still load (absent = false). */
    disableOnNumbers?: boolean;
  };
  faceting: { maxValuesPerFacet: number; sortFacetValuesBy: Record<string, 'alpha' | 'count'> };
  pagination: { maxTotalHits: number };
  searchCutoffMs: number | null;
}

export interface SearchParams {
  q?: string | null;
  offset?: number;
  limit?: number;
  page?: number;
  hitsPerPage?: number;
  filter?: string | Array<string | string[]> | null;
  facets?: string[] | null;
  attributesToRetrieve?: string[] | null;
  attributesToCrop?: string[] | null;
  cropLength?: number;
  cropMarker?: string;
  attributesToHighlight?: string[] | null;
  highlightPreTag?: string;
  highlightPostTag?: string;
  showMatchesPosition?: boolean;
  sort?: string[] | null;
  matchingStrategy?: 'last' | 'all' | 'frequency';
  showRankingScore?: boolean;
  showRankingScoreDetails?: boolean;
  showPerformanceDetails?: boolean;
  rankingScoreThreshold?: number | null;
  attributesToSearchOn?: string[] | null;
  distinct?: string | null;
}

/** Exactly Meilisearch's search response: offset/limit mode or page/hitsPerPage mode. */
export interface SearchResponse {
  hits: Doc[];
  query: string;
  processingTimeMs: number;
  offset?: number;
  limit?: number;
  estimatedTotalHits?: number;
  page?: number;
  hitsPerPage?: number;
  totalPages?: number;
  totalHits?: number;
  facetDistribution?: Record<string, Record<string, number>>;
  facetStats?: Record<string, { min: number; max: number }>;
}

/**
 * One index's search structures. The HTTP/storage layer owns durability and calls these as
 * tasks are processed; `upsert` receives the final stored document (after a PUT merge).
 */
export interface SearchEngine {
  upsert(id: string, doc: Doc): void;
  remove(id: string): void;
  clear(): void;
  applySettings(settings: IndexSettings): void;
  search(params: SearchParams): SearchResponse;
  /** The documents the search parameters select (what facet search counts). */
  matchingDocuments(params: SearchParams): Doc[];
}
