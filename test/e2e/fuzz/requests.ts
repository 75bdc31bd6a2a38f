// Request generators for every write and read route of docs/api-compatibility.md: hostile bodies, query strings,
// headers, paths and content types. Requests target the index `fuzz` most of the time (so they
// reach the routing and merge code) and a malformed index uid otherwise.
import fc from 'fast-check';
import {
  absurdNumber,
  anyJson,
  badId,
  deepJsonText,
  fieldName,
  filterString,
  filterValue,
  invalidUtf8,
  percentBytes,
  rawNumberLiteral,
  urlComponent,
  validId,
  weirdString,
  type Json,
} from './arbitraries';

export const INDEX = 'fuzz';
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface FuzzRequest {
  method: Method;
  /** Already percent-encoded path and query. */
  path: string;
  /** Header overrides; null removes a default header (authorization, content-type). */
  headers?: Record<string, string | null>;
  body?: string | Buffer;
}

const SEARCH_KEYS = ['q', 'offset', 'limit', 'page', 'hitsPerPage', 'filter', 'facets', 'attributesToRetrieve', 'attributesToCrop', 'cropLength', 'cropMarker', 'attributesToHighlight', 'highlightPreTag', 'highlightPostTag', 'showMatchesPosition', 'sort', 'matchingStrategy', 'showRankingScore', 'showRankingScoreDetails', 'rankingScoreThreshold', 'attributesToSearchOn', 'hybrid', 'vector', 'distinct', 'locales', 'retrieveVectors'];
const SETTINGS = ['rankingRules', 'searchableAttributes', 'displayedAttributes', 'filterableAttributes', 'sortableAttributes', 'stopWords', 'synonyms', 'distinctAttribute', 'typoTolerance', 'faceting', 'pagination', 'proximityPrecision', 'separatorTokens', 'nonSeparatorTokens', 'dictionary', 'searchCutoffMs', 'localizedAttributes', 'facetSearch', 'prefixSearch', 'embedders'];
const SETTINGS_ROUTES = ['ranking-rules', 'searchable-attributes', 'displayed-attributes', 'filterable-attributes', 'sortable-attributes', 'stop-words', 'synonyms', 'distinct-attribute', 'typo-tolerance', 'faceting', 'pagination', 'proximity-precision', 'separator-tokens', 'non-separator-tokens', 'dictionary', 'search-cutoff-ms', 'localized-attributes', 'facet-search', 'prefix-search', 'embedders'];
const TASK_PARAMS = ['uids', 'statuses', 'types', 'indexUids', 'limit', 'from', 'reverse', 'canceledBy', 'beforeEnqueuedAt', 'afterEnqueuedAt', 'beforeFinishedAt'];
const DOC_PARAMS = ['offset', 'limit', 'fields', 'filter', 'retrieveVectors', 'ids', 'sort'];

const index = fc.oneof({ arbitrary: fc.constant(INDEX), weight: 5 }, { arbitrary: urlComponent, weight: 1 });
const json = (v: unknown): string => JSON.stringify(v);

/** A JSON object whose keys are mostly the route's real parameters, with values of any type. */
const paramsObject = (keys: readonly string[]): fc.Arbitrary<Record<string, Json>> =>
  fc.dictionary(
    fc.oneof({ arbitrary: fc.constantFrom(...keys), weight: 4 }, { arbitrary: fieldName, weight: 1 }),
    fc.oneof(anyJson, filterValue, absurdNumber, fc.array(fieldName, { maxLength: 4 })),
    { maxKeys: 6 },
  );

/** A body as text: JSON of the object, or the object with a raw number / deep value spliced in. */
const withRawParts = (obj: fc.Arbitrary<Record<string, Json>>): fc.Arbitrary<string> => {
  // Appends `"k": <raw>` as text (a duplicate key, when k is already there, is hostile too).
  const splice = (o: Record<string, Json>, k: string, raw: string): string => json(o).replace(/}$/, `${Object.keys(o).length ? ',' : ''}${json(k)}:${raw}}`);
  return fc.oneof(
    { arbitrary: obj.map(json), weight: 6 },
    { arbitrary: fc.tuple(obj, fieldName, rawNumberLiteral).map(([o, k, n]) => splice(o, k, n)), weight: 1 },
    { arbitrary: fc.tuple(obj, fieldName, deepJsonText).map(([o, k, d]) => splice(o, k, d)), weight: 1 },
  );
};

const document: fc.Arbitrary<Record<string, Json>> = fc
  .tuple(fc.oneof({ arbitrary: validId, weight: 5 }, { arbitrary: badId, weight: 1 }), fc.dictionary(fieldName, anyJson, { maxKeys: 5 }))
  .map(([id, rest]) => ({ ...rest, id: id as Json }));

const ndjson = fc.array(fc.oneof(document.map(json), weirdString), { minLength: 1, maxLength: 5 }).map((l) => l.join('\n'));
const csv = fc
  .array(fc.array(fc.oneof(weirdString, fc.constantFrom('"', '""', 'a,b', '\n', '1')), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 })
  .map((rows) => ['id,title', ...rows.map((r) => r.join(','))].join('\n'));

const documentsBody: fc.Arbitrary<Pick<FuzzRequest, 'body' | 'headers'>> = fc.oneof(
  { arbitrary: fc.array(document, { maxLength: 8 }).map((d) => ({ body: json(d) })), weight: 5 },
  { arbitrary: document.map((d) => ({ body: json(d) })), weight: 1 },
  { arbitrary: anyJson.map((v) => ({ body: json(v) })), weight: 2 },
  { arbitrary: deepJsonText.map((d) => ({ body: `[{"id":1,"deep":${d}}]` })), weight: 1 },
  { arbitrary: fc.tuple(rawNumberLiteral, fc.boolean()).map(([n, asId]) => ({ body: asId ? `[{"id":${n}}]` : `[{"id":1,"n":${n}}]` })), weight: 1 },
  { arbitrary: ndjson.map((b) => ({ body: b, headers: { 'content-type': 'application/x-ndjson' } })), weight: 1 },
  { arbitrary: csv.map((b) => ({ body: b, headers: { 'content-type': 'text/csv' } })), weight: 1 },
);

const primaryKeyQuery = fc.option(urlComponent.map((k) => `?primaryKey=${k}`), { nil: '' });

/** Every write route of docs/api-compatibility.md with a hostile body. */
export const writeRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  { arbitrary: fc.tuple(fc.constantFrom<Method>('POST', 'PUT'), index, primaryKeyQuery, documentsBody).map(([method, i, q, b]) => ({ method, path: `/indexes/${i}/documents${q}`, ...b })), weight: 6 },
  { arbitrary: fc.tuple(index, fc.oneof(fc.array(fc.oneof(validId, badId), { maxLength: 6 }), anyJson)).map(([i, ids]) => ({ method: 'POST' as const, path: `/indexes/${i}/documents/delete-batch`, body: json(ids) })), weight: 2 },
  { arbitrary: fc.tuple(index, fc.oneof(filterValue.map((filter) => ({ filter })), anyJson)).map(([i, b]) => ({ method: 'POST' as const, path: `/indexes/${i}/documents/delete`, body: json(b) })), weight: 2 },
  { arbitrary: fc.tuple(index, urlComponent).map(([i, id]) => ({ method: 'DELETE' as const, path: `/indexes/${i}/documents/${id}` })), weight: 2 },
  { arbitrary: index.map((i) => ({ method: 'DELETE' as const, path: `/indexes/${i}/documents` })), weight: 1 },
  { arbitrary: fc.tuple(index, withRawParts(paramsObject(SETTINGS))).map(([i, body]) => ({ method: 'PATCH' as const, path: `/indexes/${i}/settings`, body })), weight: 3 },
  {
    arbitrary: fc
      .tuple(fc.constantFrom<Method>('PUT', 'PATCH', 'DELETE'), index, fc.oneof(fc.constantFrom(...SETTINGS_ROUTES), urlComponent), fc.oneof(anyJson, fc.array(fieldName), filterValue))
      .map(([method, i, s, v]) => ({ method, path: `/indexes/${i}/settings/${s}`, body: method === 'DELETE' ? undefined : json(v) })),
    weight: 3,
  },
  { arbitrary: index.map((i) => ({ method: 'DELETE' as const, path: `/indexes/${i}/settings` })), weight: 1 },
  { arbitrary: withRawParts(paramsObject(['uid', 'primaryKey'])).map((body) => ({ method: 'POST' as const, path: '/indexes', body })), weight: 2 },
  { arbitrary: fc.tuple(index, withRawParts(paramsObject(['primaryKey', 'uid']))).map(([i, body]) => ({ method: 'PATCH' as const, path: `/indexes/${i}`, body })), weight: 1 },
  // Never the fuzzed index itself: the other cases need it.
  { arbitrary: urlComponent.filter((u) => u !== INDEX).map((i) => ({ method: 'DELETE' as const, path: `/indexes/${i}` })), weight: 1 },
  { arbitrary: withRawParts(paramsObject(['actions', 'indexes', 'expiresAt', 'name', 'description', 'uid'])).map((body) => ({ method: 'POST' as const, path: '/keys', body })), weight: 2 },
  { arbitrary: fc.tuple(fc.constantFrom<Method>('PATCH', 'DELETE'), urlComponent, anyJson).map(([method, k, v]) => ({ method, path: `/keys/${k}`, body: method === 'DELETE' ? undefined : json(v) })), weight: 1 },
);

const searchBody = withRawParts(paramsObject(SEARCH_KEYS));

/** Every read route that takes a body. */
export const readRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  { arbitrary: fc.tuple(index, searchBody).map(([i, body]) => ({ method: 'POST' as const, path: `/indexes/${i}/search`, body })), weight: 6 },
  {
    arbitrary: fc
      .tuple(fc.array(fc.tuple(fc.oneof(fc.constant(INDEX), weirdString), paramsObject(SEARCH_KEYS)), { maxLength: 4 }), fc.option(fc.oneof(fc.constant({}), anyJson)), fc.boolean())
      .map(([qs, federation, wrapped]) => {
        const queries = qs.map(([indexUid, p]) => ({ indexUid, ...p }));
        const body = wrapped ? { queries, ...(federation === null ? {} : { federation }) } : queries;
        return { method: 'POST' as const, path: '/multi-search', body: json(body) };
      }),
    weight: 3,
  },
  { arbitrary: fc.tuple(index, withRawParts(paramsObject(DOC_PARAMS))).map(([i, body]) => ({ method: 'POST' as const, path: `/indexes/${i}/documents/fetch`, body })), weight: 3 },
  { arbitrary: fc.tuple(index, fc.constantFrom('', '?execute=true', '?execute=maybe'), searchBody).map(([i, q, body]) => ({ method: 'POST' as const, path: `/indexes/${i}/explain${q}`, body })), weight: 2 },
  { arbitrary: fc.tuple(index, paramsObject(['facetName', 'facetQuery', 'q', 'filter'])).map(([i, b]) => ({ method: 'POST' as const, path: `/indexes/${i}/facet-search`, body: json(b) })), weight: 1 },
);

/** `k=v&…` with real and junk keys, values as text, numbers, filters or raw bytes. */
const queryString = (keys: readonly string[]): fc.Arbitrary<string> =>
  fc
    .array(
      fc.tuple(
        fc.oneof({ arbitrary: fc.constantFrom(...keys), weight: 4 }, { arbitrary: urlComponent, weight: 1 }),
        fc.oneof(
          urlComponent,
          absurdNumber.map(String),
          rawNumberLiteral,
          filterString.map((f) => percentBytes(Buffer.from(f, 'utf8'))),
          fc.array(fc.oneof(fieldName, fc.constantFrom('*', 'enqueued', 'succeeded', 'documentAdditionOrUpdate')), { maxLength: 4 }).map((a) => percentBytes(Buffer.from(a.join(','), 'utf8'))),
        ),
      ),
      { maxLength: 6 },
    )
    .map((kv) => (kv.length ? `?${kv.map(([k, v]) => `${k}=${v}`).join('&')}` : ''));

/** Every GET route, with hostile query strings and path segments. */
export const queryRequest: fc.Arbitrary<FuzzRequest> = fc
  .oneof(
    { arbitrary: fc.tuple(index, queryString(SEARCH_KEYS)).map(([i, q]) => `/indexes/${i}/search${q}`), weight: 5 },
    { arbitrary: fc.tuple(index, queryString(DOC_PARAMS)).map(([i, q]) => `/indexes/${i}/documents${q}`), weight: 3 },
    { arbitrary: fc.tuple(index, urlComponent, queryString(['fields', 'retrieveVectors'])).map(([i, id, q]) => `/indexes/${i}/documents/${id}${q}`), weight: 2 },
    { arbitrary: queryString(TASK_PARAMS).map((q) => `/tasks${q}`), weight: 3 },
    { arbitrary: urlComponent.map((u) => `/tasks/${u}`), weight: 1 },
    { arbitrary: queryString(['offset', 'limit']).map((q) => `/indexes${q}`), weight: 1 },
    { arbitrary: index.map((i) => `/indexes/${i}`), weight: 1 },
    { arbitrary: index.map((i) => `/indexes/${i}/stats`), weight: 1 },
    { arbitrary: fc.constantFrom('/stats', '/version', '/health', '/_miroir/topology', '/_miroir/ready'), weight: 1 },
    { arbitrary: queryString(['index', 'indexUid']).map((q) => `/_miroir/shards${q}`), weight: 1 },
    { arbitrary: queryString(['offset', 'limit']).map((q) => `/keys${q}`), weight: 1 },
    { arbitrary: urlComponent.map((k) => `/keys/${k}`), weight: 1 },
    { arbitrary: fc.tuple(index, fc.oneof(fc.constant(''), fc.constantFrom(...SETTINGS_ROUTES).map((s) => `/${s}`), urlComponent.map((s) => `/${s}`))).map(([i, s]) => `/indexes/${i}/settings${s}`), weight: 2 },
  )
  .map((path) => ({ method: 'GET' as const, path }));

const headerValue: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 }), weight: 5 },
  { arbitrary: fc.string({ unit: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 20 }), weight: 1 },
  { arbitrary: fc.constantFrom('', '-1', '0', '1e999', 'NaN', '18446744073709551616', 'null', '[]', '{}'), weight: 2 },
  { arbitrary: fc.integer({ min: 1_000, max: 12_000 }).map((n) => 'h'.repeat(n)), weight: 1 },
);

const HEADER_NAMES = ['authorization', 'content-type', 'x-miroir-min-settings-version', 'x-miroir-session', 'x-miroir-tenant', 'idempotency-key', 'x-admin-key', 'content-encoding', 'accept', 'accept-encoding', 'x-meili-client', 'x-forwarded-for', 'x-request-id'];

/** Valid requests with hostile headers. */
export function headerRequest(masterKey: string, adminKey: string): fc.Arbitrary<FuzzRequest> {
  const base = fc.constantFrom<FuzzRequest>(
    { method: 'POST', path: `/indexes/${INDEX}/search`, body: json({ q: 'alpha' }) },
    { method: 'GET', path: `/indexes/${INDEX}/search?q=alpha` },
    { method: 'POST', path: `/indexes/${INDEX}/documents`, body: json([{ id: 'h1', title: 'alpha' }]) },
    { method: 'POST', path: '/multi-search', body: json({ queries: [{ indexUid: INDEX, q: 'beta' }] }) },
    { method: 'GET', path: `/indexes/${INDEX}/documents?limit=2` },
    { method: 'GET', path: '/tasks?limit=2' },
    { method: 'PATCH', path: `/indexes/${INDEX}/settings`, body: json({ stopWords: ['the'] }) },
    { method: 'GET', path: '/_miroir/topology' },
  );
  const auth = fc.oneof(
    headerValue,
    fc.constantFrom('Bearer', 'Bearer ', 'bearer ' + masterKey, 'Bearer  ' + masterKey, `Bearer ${masterKey} `, `Bearer ${adminKey}`, 'Basic Zm9vOmJhcg==', `Bearer ${'k'.repeat(5_000)}`),
    fc.constant(null),
  );
  const contentType = fc.oneof(
    headerValue,
    fc.constantFrom('application/json', 'application/json; charset=latin1', 'application/json;;', 'text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'text/csv', 'application/x-ndjson', '*/*'),
    fc.constant(null),
  );
  return fc
    .tuple(base, fc.option(auth, { nil: undefined }), fc.option(contentType, { nil: undefined }), fc.dictionary(fc.constantFrom(...HEADER_NAMES.slice(2)), headerValue, { maxKeys: 4 }))
    .map(([r, a, ct, extra]) => {
      const headers: Record<string, string | null> = { ...extra };
      if (a !== undefined) headers.authorization = a;
      if (ct !== undefined) headers['content-type'] = ct;
      return { ...r, headers };
    });
}

/** Body routes with raw bytes: invalid UTF-8 inside JSON strings, junk, empty, over the size cap. */
export const rawRequest: fc.Arbitrary<FuzzRequest> = fc
  .tuple(
    fc.constantFrom<[Method, string]>(
      ['POST', `/indexes/${INDEX}/documents`],
      ['PUT', `/indexes/${INDEX}/documents`],
      ['POST', `/indexes/${INDEX}/search`],
      ['POST', '/multi-search'],
      ['POST', `/indexes/${INDEX}/documents/fetch`],
      ['POST', `/indexes/${INDEX}/documents/delete-batch`],
      ['POST', `/indexes/${INDEX}/documents/delete`],
      ['PATCH', `/indexes/${INDEX}/settings`],
      ['POST', '/indexes'],
      ['POST', '/keys'],
    ),
    fc.oneof(
      { arbitrary: invalidUtf8.map((b) => Buffer.concat([Buffer.from('[{"id":"u1","title":"'), b, Buffer.from('"}]')])), weight: 3 },
      { arbitrary: invalidUtf8.map((b) => Buffer.concat([Buffer.from('{"q":"'), b, Buffer.from('","filter":"title = \\"'), b, Buffer.from('\\""}')])), weight: 2 },
      { arbitrary: invalidUtf8.map((b) => Buffer.concat([Buffer.from('[{"id":"'), b, Buffer.from('"}]')])), weight: 2 },
      { arbitrary: fc.uint8Array({ maxLength: 512 }).map((a) => Buffer.from(a)), weight: 2 },
      { arbitrary: fc.constantFrom('', ' ', 'null', 'true', '"str"', '1e999', '[', '{"a":', '\ufeff[{"id":1}]', '[{"id":1}]garbage', '[{"id":1},]', "[{'id':1}]", '[{"id":1,"id":2}]'), weight: 3 },
      // Just over the 1 MiB cap the fuzz cluster runs with: the 413 path.
      { arbitrary: fc.constant(`[{"id":"big","t":"${'b'.repeat(1_100_000)}"}]`), weight: 1 },
    ),
    fc.constantFrom<string | null>('application/json', 'application/json', 'application/x-ndjson', 'text/csv', 'text/plain', 'application/octet-stream', 'application/json; charset=utf-16', null),
  )
  .map(([[method, path], body, ct]) => ({ method, path, body, headers: { 'content-type': ct } }));

const deep = (n: number): string => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

/** Requests earlier fuzz runs found failing: replayed on every run so a fix stays fixed. */
export const REGRESSIONS: readonly FuzzRequest[] = [
  { method: 'POST', path: '/indexes/%00/explain?execute=true', body: '{"sort":0.5,"page":{},"{zf":-0.0000000000000000000000000001}' },
  { method: 'PUT', path: `/indexes/${INDEX}/documents`, body: `[{"id":1,"deep":${deep(15_000)}}]` },
  { method: 'POST', path: `/indexes/${INDEX}/documents`, body: `[{"id":1,"deep":${'['.repeat(15_000)}${']'.repeat(15_000)}}]` },
  { method: 'POST', path: '/keys', body: `{"description":[],"indexes":[],"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}` },
  { method: 'POST', path: `/indexes/${INDEX}/search`, body: `{"q":"a","filter":${'['.repeat(10_000)}${']'.repeat(10_000)}}` },
  { method: 'GET', path: `/indexes/${INDEX}/settings/%80%80%80` },
  { method: 'GET', path: '/tasks/%G0' },
  { method: 'DELETE', path: `/indexes/${INDEX}/documents/${'%F0%9F%A6%80'.repeat(200)}` },
  { method: 'GET', path: `/indexes/${INDEX}/search?q=${'x'.repeat(20_000)}` },
  // A valid id (≤ 511 bytes of a-zA-Z0-9_-) longer than Fastify's default maxParamLength (100).
  { method: 'GET', path: `/indexes/${INDEX}/documents/${'a'.repeat(150)}` },
  { method: 'DELETE', path: `/indexes/${INDEX}/documents/${'b'.repeat(300)}` },
  // U+0000 in a field name (Postgres text cannot hold it: field tracking) and in a delete filter (the CDC outbox).
  { method: 'POST', path: '/indexes/fuzz_nul/documents?primaryKey=id', body: '[{"id":1,"a\\u0000b":[null]}]', headers: { 'content-type': 'application/json' } },
  { method: 'POST', path: '/indexes/fuzz_nul/documents/delete', body: '{"filter":"id = \\"x\\u0000\\""}', headers: { 'content-type': 'application/json' } },
];
