// Meilisearch v1.x response and request shapes, as the node sends them. Only the fields Miroir
// reads are typed precisely; every shape stays open (extra fields pass through untouched) because
// newer Meilisearch versions add fields and Miroir forwards much of this to its own clients.

/** Meilisearch's error object: the body of every 4xx/5xx answer. */
export interface MeiliErrorBody {
  message: string;
  code: string;
  type: string;
  link: string;
}

export type TaskStatus = 'enqueued' | 'processing' | 'succeeded' | 'failed' | 'canceled';

export type TaskType =
  | 'indexCreation'
  | 'indexUpdate'
  | 'indexDeletion'
  | 'indexSwap'
  | 'documentAdditionOrUpdate'
  | 'documentEdition'
  | 'documentDeletion'
  | 'settingsUpdate'
  | 'dumpCreation'
  | 'taskCancelation'
  | 'taskDeletion'
  | 'snapshotCreation'
  | 'upgradeDatabase'
  | 'export'
  // Future task types: keep the union open without losing autocompletion.
  | (string & {});

/** The summarized task every asynchronous route answers with (HTTP 202). */
export interface EnqueuedTask {
  taskUid: number;
  indexUid: string | null;
  status: TaskStatus;
  type: TaskType;
  enqueuedAt: string;
}

/** The full task object (GET /tasks/{uid}, GET /tasks results). */
export interface Task {
  uid: number;
  batchUid?: number | null;
  indexUid: string | null;
  status: TaskStatus;
  type: TaskType;
  canceledBy: number | null;
  details?: Record<string, unknown> | null;
  error: MeiliErrorBody | null;
  /** ISO-8601 duration, e.g. "PT0.012S"; null until finished. */
  duration: string | null;
  enqueuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export const TERMINAL_TASK_STATUSES: ReadonlySet<TaskStatus> = new Set<TaskStatus>(['succeeded', 'failed', 'canceled']);

/** GET /tasks: cursor pagination (`from`/`next`), newest first by default. */
export interface TaskList {
  results: Task[];
  total: number;
  limit: number;
  from: number | null;
  next: number | null;
}

/** Filters of GET /tasks (arrays are sent comma-separated). */
export interface TaskFilters {
  uids?: number[];
  batchUids?: number[];
  indexUids?: string[];
  statuses?: TaskStatus[];
  types?: TaskType[];
  canceledBy?: number[];
  limit?: number;
  from?: number;
  reverse?: boolean;
  beforeEnqueuedAt?: string;
  afterEnqueuedAt?: string;
  beforeStartedAt?: string;
  afterStartedAt?: string;
  beforeFinishedAt?: string;
  afterFinishedAt?: string;
}

/** Offset/limit pagination shared by /indexes, /keys and documents. */
export interface OffsetPage<T> {
  results: T[];
  offset: number;
  limit: number;
  total: number;
}

export interface IndexInfo {
  uid: string;
  primaryKey: string | null;
  createdAt: string;
  updatedAt: string;
}

export type IndexList = OffsetPage<IndexInfo>;

/** A document as stored: an open JSON object. */
export type Document = Record<string, unknown>;

export type DocumentsPage<T = Document> = OffsetPage<T>;

export interface DocumentsQuery {
  offset?: number;
  limit?: number;
  fields?: string[];
  /** Meilisearch filter: a string expression or the array form. */
  filter?: Filter;
  /** Only these primary keys (Meilisearch ≥ 1.14). */
  ids?: Array<string | number>;
  sort?: string[];
  retrieveVectors?: boolean;
}

/** Filter expression: `"a = 1 AND b > 2"` or the array form `[["a = 1", "a = 2"], "b > 2"]`. */
export type Filter = string | Array<string | string[]>;

export interface SearchParams {
  q?: string | null;
  offset?: number;
  limit?: number;
  page?: number;
  hitsPerPage?: number;
  filter?: Filter;
  facets?: string[];
  sort?: string[];
  attributesToRetrieve?: string[];
  attributesToHighlight?: string[];
  attributesToCrop?: string[];
  cropLength?: number;
  cropMarker?: string;
  highlightPreTag?: string;
  highlightPostTag?: string;
  showMatchesPosition?: boolean;
  showRankingScore?: boolean;
  showRankingScoreDetails?: boolean;
  matchingStrategy?: 'last' | 'all' | 'frequency';
  attributesToSearchOn?: string[];
  rankingScoreThreshold?: number;
  distinct?: string;
  locales?: string[];
  hybrid?: { embedder: string; semanticRatio?: number };
  vector?: number[];
  retrieveVectors?: boolean;
  [param: string]: unknown;
}

export type FacetDistribution = Record<string, Record<string, number>>;
export type FacetStats = Record<string, { min: number; max: number }>;

export interface SearchResponse<T = Document> {
  hits: Array<T & { _rankingScore?: number; _formatted?: Record<string, unknown>; _matchesPosition?: unknown }>;
  query: string;
  processingTimeMs: number;
  /** Offset/limit mode. */
  offset?: number;
  limit?: number;
  estimatedTotalHits?: number;
  /** Page mode (page / hitsPerPage given). */
  page?: number;
  hitsPerPage?: number;
  totalHits?: number;
  totalPages?: number;
  facetDistribution?: FacetDistribution;
  facetStats?: FacetStats;
  semanticHitCount?: number;
  [field: string]: unknown;
}

export interface MultiSearchQuery extends SearchParams {
  indexUid: string;
  federationOptions?: { weight?: number; remote?: string };
}

export interface MultiSearchResponse<T = Document> {
  results: Array<SearchResponse<T> & { indexUid: string }>;
}

export interface Federation {
  offset?: number;
  limit?: number;
  page?: number;
  hitsPerPage?: number;
  facetsByIndex?: Record<string, string[]>;
  mergeFacets?: { maxValuesPerFacet?: number };
  [option: string]: unknown;
}

/** Federated multi-search answers one merged hit list. */
export interface FederatedSearchResponse<T = Document> extends SearchResponse<T> {
  facetsByIndex?: Record<string, { distribution: FacetDistribution; stats: FacetStats }>;
}

export interface IndexStats {
  numberOfDocuments: number;
  isIndexing: boolean;
  fieldDistribution: Record<string, number>;
  rawDocumentDbSize?: number;
  avgDocumentSize?: number;
  numberOfEmbeddings?: number;
  numberOfEmbeddedDocuments?: number;
  [field: string]: unknown;
}

export interface GlobalStats {
  databaseSize: number;
  usedDatabaseSize?: number;
  lastUpdate: string | null;
  indexes: Record<string, IndexStats>;
  [field: string]: unknown;
}

/**
 * Index settings. Kept as an open record: Miroir broadcasts and hashes whole settings objects and
 * must not drop a setting it does not know (newer nodes add some every release).
 */
export type Settings = Record<string, unknown>;

export interface Version {
  commitSha: string;
  commitDate: string;
  pkgVersion: string;
}

export interface Health {
  status: 'available' | (string & {});
}
