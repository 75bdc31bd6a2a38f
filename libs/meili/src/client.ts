// Typed Meilisearch API of one node. Every method returns the node's own shape and throws
// NodeHttpError for a non-2xx answer (Meilisearch's error object inside) or NodeUnavailableError
// when the node gave no answer. Use `request()` for anything not covered, or to get the status and
// headers of an error answer without an exception.
import { NodeTransport, type CallOptions, type HttpMethod, type NodeResponse } from './transport';
import { seg } from './url';
import { waitForTask, type WaitForTaskOptions } from './wait-task';
import type {
  Document,
  DocumentsPage,
  DocumentsQuery,
  EnqueuedTask,
  FederatedSearchResponse,
  Federation,
  Filter,
  GlobalStats,
  Health,
  IndexInfo,
  IndexList,
  IndexStats,
  MultiSearchQuery,
  MultiSearchResponse,
  SearchParams,
  SearchResponse,
  Settings,
  Task,
  TaskFilters,
  TaskList,
  Version,
} from './types';

export interface Pagination {
  offset?: number;
  limit?: number;
}

export interface AddDocumentsOptions {
  /** `application/json`, `application/x-ndjson` or `text/csv`, as the body is encoded. */
  contentType: string;
  /** Sets the index's primary key on the first write (`?primaryKey=`). */
  primaryKey?: string;
  /** true: POST (replace whole documents); false: PUT (partial update, merge fields). */
  replace: boolean;
  /** CSV only (`?csvDelimiter=`). */
  csvDelimiter?: string;
  /** Only update documents that exist already (`?skipCreation=true`). */
  skipCreation?: boolean;
}

/** POST /indexes/{uid}/documents/edit: a Rhai function run on every document the filter selects. */
export interface EditDocumentsRequest {
  function: string;
  filter?: Filter | null;
  context?: Record<string, unknown> | null;
}

export type SettingsSubRouteMethod = 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';

const idx = (uid: string): string => `/indexes/${seg(uid)}`;

/** Merges call options into request options without allocating when there are none. */
function withJson(json: unknown, o: CallOptions | undefined): { json: unknown; timeoutMs?: number; signal?: AbortSignal } {
  return o === undefined ? { json } : { json, timeoutMs: o.timeoutMs, signal: o.signal };
}

export class NodeClient extends NodeTransport {
  // ---- instance -------------------------------------------------------------------------------

  /** GET /health (no key needed): `{status: "available"}`. */
  health(o?: CallOptions): Promise<Health> {
    return this.call('GET', '/health', o);
  }

  version(o?: CallOptions): Promise<Version> {
    return this.call('GET', '/version', o);
  }

  globalStats(o?: CallOptions): Promise<GlobalStats> {
    return this.call('GET', '/stats', o);
  }

  // ---- indexes --------------------------------------------------------------------------------

  getIndex(uid: string, o?: CallOptions): Promise<IndexInfo> {
    return this.call('GET', idx(uid), o);
  }

  listIndexes(page: Pagination = {}, o?: CallOptions): Promise<IndexList> {
    return this.call('GET', '/indexes', { query: { offset: page.offset, limit: page.limit }, ...o });
  }

  createIndex(uid: string, primaryKey?: string | null, o?: CallOptions): Promise<EnqueuedTask> {
    return this.call('POST', '/indexes', withJson(primaryKey == null ? { uid } : { uid, primaryKey }, o));
  }

  updateIndex(uid: string, patch: { primaryKey?: string | null; uid?: string }, o?: CallOptions): Promise<EnqueuedTask> {
    return this.call('PATCH', idx(uid), withJson(patch, o));
  }

  deleteIndex(uid: string, o?: CallOptions): Promise<EnqueuedTask> {
    return this.call('DELETE', idx(uid), o);
  }

  stats(uid: string, o?: CallOptions): Promise<IndexStats> {
    return this.call('GET', `${idx(uid)}/stats`, o);
  }

  // ---- documents ------------------------------------------------------------------------------

  /**
   * Adds (POST, `replace: true`) or updates (PUT) documents from a body the caller already
   * encoded: forwarded byte for byte, never re-serialised.
   */
  addDocuments(uid: string, body: Buffer | Uint8Array | string, opts: AddDocumentsOptions, o?: CallOptions): Promise<EnqueuedTask> {
    const query =
      opts.primaryKey === undefined && opts.csvDelimiter === undefined && opts.skipCreation === undefined
        ? undefined
        : { primaryKey: opts.primaryKey, csvDelimiter: opts.csvDelimiter, skipCreation: opts.skipCreation === undefined ? undefined : String(opts.skipCreation) };
    return this.call(opts.replace ? 'POST' : 'PUT', `${idx(uid)}/documents`, {
      body,
      contentType: opts.contentType,
      query,
      timeoutMs: o?.timeoutMs,
      signal: o?.signal,
    });
  }

  deleteDocument(uid: string, id: string | number, o?: CallOptions): Promise<EnqueuedTask> {
    return this.call('DELETE', `${idx(uid)}/documents/${seg(id)}`, o);
  }

  deleteDocumentsBatch(uid: string, ids: ReadonlyArray<string | number>, o?: CallOptions): Promise<EnqueuedTask> {
    return this.call('POST', `${idx(uid)}/documents/delete-batch`, withJson(ids, o));
  }

  deleteDocumentsByFilter(uid: string, filter: Filter, o?: CallOptions): Promise<EnqueuedTask> {
    return this.call('POST', `${idx(uid)}/documents/delete`, withJson({ filter }, o));
  }

  deleteAllDocuments(uid: string, o?: CallOptions): Promise<EnqueuedTask> {
    return this.call('DELETE', `${idx(uid)}/documents`, o);
  }

  editDocuments(uid: string, req: EditDocumentsRequest, o?: CallOptions): Promise<EnqueuedTask> {
    return this.call('POST', `${idx(uid)}/documents/edit`, withJson(req, o));
  }

  // ---- experimental features ------------------------------------------------------------------

  getExperimentalFeatures(o?: CallOptions): Promise<Record<string, unknown>> {
    return this.call('GET', '/experimental-features', o);
  }

  updateExperimentalFeatures(patch: Record<string, unknown>, o?: CallOptions): Promise<Record<string, unknown>> {
    return this.call('PATCH', '/experimental-features', withJson(patch, o));
  }

  /** POST /indexes/{uid}/documents/fetch, so `filter` works (the GET form needs it as a string). */
  getDocuments<T = Document>(uid: string, q: DocumentsQuery = {}, o?: CallOptions): Promise<DocumentsPage<T>> {
    return this.call('POST', `${idx(uid)}/documents/fetch`, withJson(q, o));
  }

  getDocument<T = Document>(uid: string, id: string | number, q: { fields?: string[] } = {}, o?: CallOptions): Promise<T> {
    const query = q.fields === undefined ? undefined : { fields: q.fields };
    return this.call('GET', `${idx(uid)}/documents/${seg(id)}`, { query, ...o });
  }

  // ---- search ---------------------------------------------------------------------------------

  search<T = Document>(uid: string, params: SearchParams, o?: CallOptions): Promise<SearchResponse<T>> {
    return this.call('POST', `${idx(uid)}/search`, withJson(params, o));
  }

  /** Non-federated multi-search: one result per query, in input order. */
  multiSearch<T = Document>(queries: readonly MultiSearchQuery[], o?: CallOptions): Promise<MultiSearchResponse<T>> {
    return this.call('POST', '/multi-search', withJson({ queries }, o));
  }

  /** Federated multi-search: one merged hit list. */
  federatedSearch<T = Document>(queries: readonly MultiSearchQuery[], federation: Federation = {}, o?: CallOptions): Promise<FederatedSearchResponse<T>> {
    return this.call('POST', '/multi-search', withJson({ federation, queries }, o));
  }

  // ---- settings -------------------------------------------------------------------------------

  getSettings(uid: string, o?: CallOptions): Promise<Settings> {
    return this.call('GET', `${idx(uid)}/settings`, o);
  }

  updateSettings(uid: string, patch: Settings, o?: CallOptions): Promise<EnqueuedTask> {
    return this.call('PATCH', `${idx(uid)}/settings`, withJson(patch, o));
  }

  resetSettings(uid: string, o?: CallOptions): Promise<EnqueuedTask> {
    return this.call('DELETE', `${idx(uid)}/settings`, o);
  }

  /**
   * Any settings sub-route, `/indexes/{uid}/settings/{route}` (route segment such as
   * `filterable-attributes`; see SETTINGS_SUB_ROUTES for each one's update verb). GET returns the
   * setting's value, the other verbs an EnqueuedTask. `body` is sent as JSON when not undefined
   * (`null` included: Meilisearch reads it as "reset").
   */
  settingsSubRoute<T = unknown>(method: SettingsSubRouteMethod, uid: string, route: string, body?: unknown, o?: CallOptions): Promise<T> {
    const path = `${idx(uid)}/settings/${seg(route)}`;
    return this.call(method as HttpMethod, path, body === undefined ? { ...o } : withJson(body, o));
  }

  // ---- tasks ----------------------------------------------------------------------------------

  getTask(taskUid: number, o?: CallOptions): Promise<Task> {
    return this.call('GET', `/tasks/${taskUid}`, o);
  }

  getTasks(filters: TaskFilters = {}, o?: CallOptions): Promise<TaskList> {
    return this.call('GET', '/tasks', { query: { ...filters }, ...o });
  }

  /** POST /tasks/cancel?uids=…: a taskCancelation of those node tasks (tasks already finished are left alone). */
  cancelTasks(uids: readonly number[], o?: CallOptions): Promise<EnqueuedTask> {
    return this.call('POST', '/tasks/cancel', { query: { uids }, ...o });
  }

  /**
   * GET /tasks/{uid}/documents (experimental `getTaskDocumentsRoute`): the documents of an enqueued
   * or processing document addition, as NDJSON. Every answer is returned (404 when the node no
   * longer holds the payload, 400 when the feature is off), not thrown.
   */
  taskDocuments(taskUid: number, o?: CallOptions): Promise<NodeResponse<Buffer>> {
    return this.request<Buffer>('GET', `/tasks/${taskUid}/documents`, { responseType: 'buffer', ...o });
  }

  /** Polls until the task is succeeded, failed or canceled and returns it (a failed task is not thrown). */
  waitForTask(taskUid: number, opts: WaitForTaskOptions = {}): Promise<Task> {
    return waitForTask(this.id, (uid, o) => this.getTask(uid, o), this.timeoutMs, taskUid, opts);
  }
}
