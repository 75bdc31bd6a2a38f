// Read-only requests other than single-index search, sent unchanged to both nodes once the corpus
// is loaded: documents, settings, multi-search, and error answers the SDK would hide.
import type { RawRequest } from './compare';

export interface RawCase {
  name: string;
  req: RawRequest;
  /** Compare error messages (default true). */
  messages?: boolean;
  /** Keys not compared, each justified by a docs/meili-sim.md entry. */
  ignore?: string[];
  /** Heading of the docs/meili-sim.md entry when a difference is accepted (then skipped). */
  known?: string;
}

export const STORAGE_SIZES = ['rawDocumentDbSize', 'avgDocumentSize', 'databaseSize', 'usedDatabaseSize'];
const R = (name: string, req: RawRequest, extra: Partial<RawCase> = {}): RawCase => ({ name, req, ...extra });
const q = (s: string): string => encodeURIComponent(s);

export const DOCUMENT_CASES: RawCase[] = [
  R('get one document', { path: '/indexes/movies/documents/9001' }),
  R('get one document with fields', { path: '/indexes/movies/documents/9001?fields=title,director.name' }),
  R('get a missing document', { path: '/indexes/movies/documents/123456' }),
  R('list documents', { path: '/indexes/movies/documents?limit=5' }),
  R('list documents offset', { path: '/indexes/movies/documents?offset=798&limit=5' }),
  R('list documents with fields', { path: '/indexes/movies/documents?limit=3&fields=id,genres' }),
  R('list documents with filter', { path: `/indexes/movies/documents?limit=20&filter=${q('genres = horror AND year > 2000')}` }),
  R('list documents with ids', { path: '/indexes/movies/documents?ids=9003,5,9001' }),
  R('fetch documents with filter', { method: 'POST', path: '/indexes/movies/documents/fetch', body: { filter: 'price IS NULL', fields: ['id', 'price'], limit: 30 } }),
  R('fetch documents with ids', { method: 'POST', path: '/indexes/movies/documents/fetch', body: { ids: ['9002', 7, '3'], fields: ['id'] } }),
  R('fetch with non-filterable filter', { method: 'POST', path: '/indexes/movies/documents/fetch', body: { filter: 'title = x' } }),
  R('list documents bad limit', { path: '/indexes/movies/documents?limit=abc' }),
];

export const SETTINGS_CASES: RawCase[] = [
  R('all settings', { path: '/indexes/movies/settings' }),
  R('ranking rules', { path: '/indexes/movies/settings/ranking-rules' }),
  R('synonyms', { path: '/indexes/movies/settings/synonyms' }),
  R('typo tolerance', { path: '/indexes/movies/settings/typo-tolerance' }),
  R('faceting', { path: '/indexes/movies/settings/faceting' }),
  R('pagination', { path: '/indexes/movies/settings/pagination' }),
  R('filterable attributes', { path: '/indexes/movies/settings/filterable-attributes' }),
  R('settings of an unknown index', { path: '/indexes/nope/settings' }),
  // docs/meili-sim.md, "Storage sizes".
  R('stats of the index', { path: '/indexes/movies/stats' }, { ignore: STORAGE_SIZES }),
  R('index', { path: '/indexes/movies' }),
];

export const MULTI_SEARCH_CASES: RawCase[] = [
  R('multi-search', {
    method: 'POST',
    path: '/multi-search',
    body: {
      queries: [
        { indexUid: 'movies', q: 'dragon', limit: 5, showRankingScore: true },
        { indexUid: 'movies', q: 'star', filter: 'year > 1990', facets: ['genres'], limit: 3 },
        { indexUid: 'books', q: 'dragon', limit: 3 },
      ],
    },
  }),
  R('multi-search error names the query', {
    method: 'POST',
    path: '/multi-search',
    body: { queries: [{ indexUid: 'movies', q: 'x' }, { indexUid: 'movies', filter: 'title = x' }] },
  }),
  R('federated multi-search', {
    method: 'POST',
    path: '/multi-search',
    body: {
      federation: { limit: 15 },
      queries: [
        { indexUid: 'movies', q: 'dragon knight' },
        { indexUid: 'books', q: 'dragon', federationOptions: { weight: 0.9 } },
      ],
    },
  }),
  R('federated multi-search with offset and scores', {
    method: 'POST',
    path: '/multi-search',
    body: {
      federation: { offset: 3, limit: 6 },
      queries: [
        { indexUid: 'movies', q: 'wizard', showRankingScore: true },
        { indexUid: 'books', q: 'wizard', showRankingScore: true },
      ],
    },
  }),
  R('federated multi-search with page', {
    method: 'POST',
    path: '/multi-search',
    body: { federation: { page: 2, hitsPerPage: 4 }, queries: [{ indexUid: 'movies', q: 'castle' }, { indexUid: 'books', q: 'castle' }] },
  }),
  R('federated with a per-query limit is refused', {
    method: 'POST',
    path: '/multi-search',
    body: { federation: {}, queries: [{ indexUid: 'movies', q: 'x', limit: 3 }] },
  }),
  R('multi-search on an unknown index', { method: 'POST', path: '/multi-search', body: { queries: [{ indexUid: 'nope', q: 'x' }] } }),
];

export const ERROR_CASES: RawCase[] = [
  R('unknown index (get)', { path: '/indexes/nope' }),
  R('unknown index (documents)', { path: '/indexes/nope/documents' }),
  // docs/meili-sim.md, "JSON parser messages": code, type and status still compared.
  R('bad JSON body (search)', { method: 'POST', path: '/indexes/movies/search', body: '{"q": "x",' }, { messages: false }),
  R('bad JSON body (documents)', { method: 'POST', path: '/indexes/movies/documents', body: '[{"id": 1' }, { messages: false }),
  R('missing content type', { method: 'POST', path: '/indexes/movies/documents', body: '[]', headers: { 'Content-Type': '' } }),
  R('invalid content type', { method: 'POST', path: '/indexes/movies/documents', body: '[]', headers: { 'Content-Type': 'text/plain' } }),
  R('invalid index uid', { method: 'POST', path: '/indexes', body: { uid: 'not valid!' } }),
  R('create index without uid', { method: 'POST', path: '/indexes', body: { primaryKey: 'id' } }),
  R('bad settings value', { method: 'PATCH', path: '/indexes/movies/settings', body: { rankingRules: ['wordz'] } }),
  R('bad settings type', { method: 'PATCH', path: '/indexes/movies/settings', body: { filterableAttributes: 'year' } }),
  R('unknown settings field', { method: 'PATCH', path: '/indexes/movies/settings', body: { foo: 1 } }),
  R('bad pagination setting', { method: 'PATCH', path: '/indexes/movies/settings/pagination', body: { maxTotalHits: -5 } }),
  R('bad typo tolerance setting', { method: 'PATCH', path: '/indexes/movies/settings/typo-tolerance', body: { minWordSizeForTypos: { oneTypo: 9, twoTypos: 5 } } }),
  R('invalid api key', { path: '/indexes', key: 'not-a-key' }),
  R('missing authorization header', { path: '/indexes', key: null }),
  R('unknown task', { path: '/tasks/999999999' }),
  R('invalid task filter', { path: '/tasks?statuses=done' }),
  // Task and batch routes of issue 14.
  R('invalid task filter item', { path: '/tasks?uids=1,abc' }),
  R('invalid task type after a star', { path: '/tasks?types=*,foo' }),
  R('invalid index uid in a task filter', { path: '/tasks?indexUids=ok,bad%20name' }),
  R('task filter past u32', { path: '/tasks?limit=99999999999' }),
  R('invalid task uid', { path: '/tasks/abc' }),
  R('unknown batch', { path: '/batches/999999999' }),
  R('invalid batch uid', { path: '/batches/abc' }),
  R('unknown batches parameter', { path: '/batches?foo=1' }),
  R('cancel without filters', { method: 'POST', path: '/tasks/cancel' }),
  R('cancel with a paging parameter', { method: 'POST', path: '/tasks/cancel?limit=1' }),
  R('task documents without the feature', { path: '/tasks/0/documents' }),
  R('GET search with bad limit', { path: '/indexes/movies/search?limit=x' }),
  R('GET search with filter', { path: `/indexes/movies/search?q=dragon&filter=${q('year > 2000')}&limit=5` }),
  R('delete by filter on non-filterable', { method: 'POST', path: '/indexes/movies/documents/delete', body: { filter: 'title = x' } }),
];

/** Facet search, similar documents (the dev node has no embedders: errors only), new search parameters. */
export const FACET_SIMILAR_CASES: RawCase[] = [
  R('facet search', { method: 'POST', path: '/indexes/movies/facet-search', body: { facetName: 'genres' } }),
  R('facet search by count with a query', { method: 'POST', path: '/indexes/movies/facet-search', body: { facetName: 'series', facetQuery: 'odys', q: 'space', filter: 'year > 1950' } }),
  R('facet search with a typo', { method: 'POST', path: '/indexes/movies/facet-search', body: { facetName: 'director.country', facetQuery: 'frence' } }),
  R('facet search ignores other fields', { method: 'POST', path: '/indexes/movies/facet-search', body: { facetName: 'tags', limit: 'x', sort: 3 } }),
  R('facet search on a non-filterable attribute', { method: 'POST', path: '/indexes/movies/facet-search', body: { facetName: 'title' } }),
  R('facet search with a filter as written', { method: 'POST', path: '/indexes/movies/facet-search', body: { facetName: 'genres', filter: 'title = x' } }),
  R('facet search without facetName', { method: 'POST', path: '/indexes/movies/facet-search', body: { q: 'x' } }),
  R('similar without embedder', { method: 'POST', path: '/indexes/movies/similar', body: { id: 9001, embedder: 'default' } }),
  R('similar unknown field', { method: 'POST', path: '/indexes/movies/similar', body: { id: 9001, embedder: 'default', bogus: 1 } }),
  R('similar bad id', { method: 'POST', path: '/indexes/movies/similar', body: { id: 'a b', embedder: 'default' } }),
  R('similar GET without id', { path: '/indexes/movies/similar?embedder=default' }),
  R('federated distinct', {
    method: 'POST',
    path: '/multi-search',
    body: { federation: { distinct: 'series', limit: 40 }, queries: [{ indexUid: 'movies', q: 'odyssey', attributesToRetrieve: ['id'] }] },
  }),
  R('federated distinct with a query distinct', { method: 'POST', path: '/multi-search', body: { federation: { distinct: 'series' }, queries: [{ indexUid: 'movies', distinct: 'genres' }] } }),
  R('federated query asking performance details', { method: 'POST', path: '/multi-search', body: { federation: {}, queries: [{ indexUid: 'movies', showPerformanceDetails: true }] } }),
];
