import { checkFilter, firstValue, parseFilterParam, type QueryString } from './search-params';
import { readErrors } from './read-errors';

// Edge validation of the documents reads (GET …/documents, POST …/documents/fetch,
// GET …/documents/{id}), with Meilisearch's invalid_document_* codes.

export interface DocumentsQuery {
  readonly offset: number;
  readonly limit: number;
  readonly fields?: string[];
  readonly filter?: unknown;
  readonly ids?: string[];
  readonly sort?: string[];
  readonly retrieveVectors?: boolean;
}

const FETCH_FIELDS = ['offset', 'limit', 'fields', 'retrieveVectors', 'ids', 'filter', 'sort'];
const GET_PARAMETERS = ['offset', 'limit', 'fields', 'filter', 'ids', 'retrieveVectors', 'sort'];
const GET_ONE_PARAMETERS = ['fields', 'retrieveVectors'];

const csv = (s: string): string[] =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');

function idString(v: unknown, path: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  throw readErrors.invalidType('invalid_document_ids', path, 'a string or an integer', v);
}

function stringArray(v: unknown, code: string, path: string): string[] {
  if (!Array.isArray(v)) throw readErrors.invalidType(code, path, 'an array', v);
  v.forEach((x, i) => {
    if (typeof x !== 'string') throw readErrors.invalidType(code, `${path}[${i}]`, 'a string', x);
  });
  return v as string[];
}

/** POST /indexes/{uid}/documents/fetch body. */
export function documentsQueryFromBody(body: Record<string, unknown>): DocumentsQuery {
  for (const k of Object.keys(body)) if (!FETCH_FIELDS.includes(k)) throw readErrors.unknownField(k, FETCH_FIELDS);
  const nat = (name: string, code: string, def: number): number => {
    const v = body[name];
    if (v === undefined || v === null) return def;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw readErrors.invalidType(code, `.${name}`, 'a positive integer', v);
    return v;
  };
  const q: { -readonly [K in keyof DocumentsQuery]: DocumentsQuery[K] } = {
    offset: nat('offset', 'invalid_document_offset', 0),
    limit: nat('limit', 'invalid_document_limit', 20),
  };
  if (body['fields'] !== undefined && body['fields'] !== null) q.fields = stringArray(body['fields'], 'invalid_document_fields', '.fields');
  if (body['ids'] !== undefined && body['ids'] !== null) {
    const ids = body['ids'];
    if (!Array.isArray(ids)) throw readErrors.invalidType('invalid_document_ids', '.ids', 'an array', ids);
    q.ids = ids.map((v, i) => idString(v, `.ids[${i}]`));
  }
  if (body['filter'] !== undefined && body['filter'] !== null) {
    checkFilter(body['filter'], 'invalid_document_filter', '.filter');
    q.filter = body['filter'];
  }
  if (body['sort'] !== undefined && body['sort'] !== null) q.sort = stringArray(body['sort'], 'invalid_document_sort', '.sort');
  if (body['retrieveVectors'] !== undefined) {
    if (typeof body['retrieveVectors'] !== 'boolean') throw readErrors.invalidType('invalid_document_retrieve_vectors', '.retrieveVectors', 'a boolean', body['retrieveVectors']);
    q.retrieveVectors = body['retrieveVectors'];
  }
  return q;
}

function queryInt(q: QueryString, name: string, code: string, def: number): number {
  const raw = firstValue(q, name);
  if (raw === undefined) return def;
  if (!/^\d+$/.test(raw.trim())) throw readErrors.queryInteger(code, name, raw);
  return Number(raw.trim());
}

function queryBool(q: QueryString, name: string, code: string): boolean | undefined {
  const raw = firstValue(q, name);
  if (raw === undefined) return undefined;
  if (raw !== 'true' && raw !== 'false') throw readErrors.queryBoolean(code, name, raw);
  return raw === 'true';
}

/** GET /indexes/{uid}/documents query string. */
export function documentsQueryFromQueryString(query: QueryString): DocumentsQuery {
  for (const k of Object.keys(query)) if (!GET_PARAMETERS.includes(k)) throw readErrors.unknownParameter(k, GET_PARAMETERS);
  const q: { -readonly [K in keyof DocumentsQuery]: DocumentsQuery[K] } = {
    offset: queryInt(query, 'offset', 'invalid_document_offset', 0),
    limit: queryInt(query, 'limit', 'invalid_document_limit', 20),
  };
  const fields = firstValue(query, 'fields');
  if (fields !== undefined) q.fields = csv(fields);
  const ids = firstValue(query, 'ids');
  if (ids !== undefined) q.ids = csv(ids);
  const filter = firstValue(query, 'filter');
  if (filter !== undefined) q.filter = parseFilterParam(filter);
  const sort = firstValue(query, 'sort');
  if (sort !== undefined) q.sort = csv(sort);
  const rv = queryBool(query, 'retrieveVectors', 'invalid_document_retrieve_vectors');
  if (rv !== undefined) q.retrieveVectors = rv;
  return q;
}

/** GET /indexes/{uid}/documents/{id} query string. */
export function oneDocumentQuery(query: QueryString): { fields?: string[]; retrieveVectors?: boolean } {
  for (const k of Object.keys(query)) if (!GET_ONE_PARAMETERS.includes(k)) throw readErrors.unknownParameter(k, GET_ONE_PARAMETERS);
  const out: { fields?: string[]; retrieveVectors?: boolean } = {};
  const fields = firstValue(query, 'fields');
  if (fields !== undefined) out.fields = csv(fields);
  const rv = queryBool(query, 'retrieveVectors', 'invalid_document_retrieve_vectors');
  if (rv !== undefined) out.retrieveVectors = rv;
  return out;
}
