// Request-path building. Pure and allocation-light: the hot path (search, document writes) calls
// these once per node request.

export type QueryValue = string | number | boolean | ReadonlyArray<string | number> | undefined | null;
export type Query = Readonly<Record<string, QueryValue>>;

// Index uids and document ids are almost always [A-Za-z0-9_-]: skip encodeURIComponent for them.
const SAFE_SEGMENT = /^[A-Za-z0-9_-]+$/;

/**
 * One path segment (index uid, document id, key, setting name), percent-encoded when needed.
 * Dots are encoded too: a segment `..` sent raw could be normalised away by a proxy or router,
 * turning `DELETE /indexes/x/documents/..` into `DELETE /indexes/x`.
 */
export function seg(value: string | number): string {
  const s = typeof value === 'number' ? String(value) : value;
  return SAFE_SEGMENT.test(s) ? s : encodeURIComponent(s).replace(/\./g, '%2E');
}

/**
 * Appends a query string. Arrays are comma-separated, as Meilisearch expects for `fields`,
 * `statuses`, `uids`, …; undefined and null values are skipped; an empty array is sent as an empty
 * value (Meilisearch treats `fields=` as "no fields").
 */
export function withQuery(path: string, query: Query | undefined): string {
  if (query === undefined) return path;
  let qs = '';
  for (const key in query) {
    const v = query[key];
    if (v === undefined || v === null) continue;
    const s = Array.isArray(v) ? v.join(',') : String(v);
    qs += `${qs === '' ? '' : '&'}${encodeURIComponent(key)}=${encodeURIComponent(s)}`;
  }
  if (qs === '') return path;
  return `${path}${path.includes('?') ? '&' : '?'}${qs}`;
}

/** Normalises a node address to an origin: adds http:// when missing, drops a trailing slash and path. */
export function toOrigin(address: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(address) ? address : `http://${address}`;
  const url = new URL(withScheme);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`Unsupported node address scheme "${url.protocol}" (expected http or https)`);
  }
  if (url.username || url.password) {
    // Credentials in the address would end up in logs and error messages: refuse them.
    throw new Error('Node addresses must not contain credentials; use the node master key option');
  }
  if (url.pathname !== '/' && url.pathname !== '') {
    throw new Error(`Node address must be an origin without a path, got path "${url.pathname}"`);
  }
  return url.origin;
}
