// Issue 14, tenant tokens: tokens made by the official client (`generateTenantToken`) restrict
// search, multi-search, federated search and facet search through Miroir exactly as they do on one
// Meilisearch node holding the same data and the same key (a real Meilisearch when the run has the
// binary, else the dev node), and bad tokens are refused with the same errors.
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { Meilisearch } from 'meilisearch';
import { freePort } from '@miroir/embedded';
import type { DevNode } from '@miroir/embedded/dev-node';
import { meiliClient, TASK_WAIT } from '../../support/client';
import { startTestCluster, type TestCluster } from '../../support/cluster';
import { startTestNode } from '../../support/node';
import { meilisearchBin, testDir, uniqueSuffix } from '../../support/stack';

// `meilisearch/token` is a package-exports subpath, which this tsconfig's module resolution cannot
// type: required at run time, typed from the file it maps to.
const { generateTenantToken } = require('meilisearch/token') as typeof import('meilisearch/dist/token');

jest.setTimeout(300_000);

type Doc = Record<string, unknown>;
type Rules = Parameters<typeof generateTenantToken>[0]['searchRules'];

const SEARCH_UID = '6c1f7b1e-1d5a-4c56-9a53-0d8a1a2b3c41';
const DOCS_UID = '6c1f7b1e-1d5a-4c56-9a53-0d8a1a2b3c42';
const DOOMED_UID = '6c1f7b1e-1d5a-4c56-9a53-0d8a1a2b3c43';
const UNKNOWN_UID = '6c1f7b1e-1d5a-4c56-9a53-0d8a1a2b3c44';

const GENRES = ['drama', 'comedy', 'horror'];
const movies: Doc[] = Array.from({ length: 30 }, (_, i) => ({ id: i + 1, title: `Movie ${i + 1}`, genre: GENRES[i % 3], user: i % 2 ? 'a' : 'b', year: 2000 + i }));
/** Documents with their own embeddings, for /similar (user-provided vectors: no model needed). */
const vectorMovies: Doc[] = Array.from({ length: 16 }, (_, i) => ({
  id: i + 1,
  genre: GENRES[i % 3],
  user: i % 2 ? 'a' : 'b',
  _vectors: { x: [Math.cos(i / 5), Math.sin(i / 5)] },
}));
const books: Doc[] = Array.from({ length: 12 }, (_, i) => ({ id: i + 1, title: `Book ${i + 1}`, genre: GENRES[i % 3], user: i % 3 ? 'a' : 'b' }));

interface Answer {
  status: number;
  body: unknown;
}

/** Drops what legitimately differs between two engines' answers (timings, request ids). */
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (!v || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'processingTimeMs' || k === 'requestUid') continue;
    out[k] = typeof x === 'string' ? x.replace(/we're now `\d+`/, "we're now `<now>`") : normalize(x);
  }
  return out;
}

// The dev node does not implement tenant tokens: the comparison needs the real Meilisearch (the unit
// tests in test/unit/api/auth cover the same rules against answers recorded from Meilisearch 1.50).
const describeOnMeilisearch = meilisearchBin() ? describe : describe.skip;

describeOnMeilisearch('tenant tokens, compared with one Meilisearch node', () => {
  let cluster: TestCluster;
  let single: DevNode;
  /** The value of each key: the same on both sides (same master key, same uid). */
  const keyOf = new Map<string, string>();

  beforeAll(async () => {
    cluster = await startTestCluster({ nodes: 3, replicationFactor: 2, shards: 8 });
    // One master key for both: a key with the same uid then has the same value, and one token serves both.
    single = await startTestNode({ httpAddr: `127.0.0.1:${await freePort()}`, dbPath: join(testDir(), `single-${uniqueSuffix()}`), masterKey: cluster.masterKey });
    for (const c of [cluster.client(), meiliClient(single.url, cluster.masterKey)]) {
      await c.index('movies').addDocuments(movies, { primaryKey: 'id' }).waitTask(TASK_WAIT);
      await c.index('movies').updateSettings({ filterableAttributes: ['genre', 'user', 'year'], sortableAttributes: ['id'] }).waitTask(TASK_WAIT);
      await c.index('books').addDocuments(books, { primaryKey: 'id' }).waitTask(TASK_WAIT);
      await c.index('books').updateSettings({ filterableAttributes: ['genre', 'user'], sortableAttributes: ['id'] }).waitTask(TASK_WAIT);
      await c.index('movies_vec').updateSettings({ filterableAttributes: ['genre', 'user'], embedders: { x: { source: 'userProvided', dimensions: 2 } } }).waitTask(TASK_WAIT);
      await c.index('movies_vec').addDocuments(vectorMovies, { primaryKey: 'id' }).waitTask(TASK_WAIT);
      await c.index('secret').addDocuments([{ id: 1, title: 'Secret' }], { primaryKey: 'id' }).waitTask(TASK_WAIT);
      const made = [
        await c.createKey({ uid: SEARCH_UID, actions: ['search'], indexes: ['movies*', 'books'], expiresAt: null }),
        await c.createKey({ uid: DOCS_UID, actions: ['documents.get'], indexes: ['*'], expiresAt: null }),
        await c.createKey({ uid: DOOMED_UID, actions: ['search'], indexes: ['*'], expiresAt: null }),
      ];
      for (const k of made) {
        if (keyOf.has(k.uid)) expect(k.key).toBe(keyOf.get(k.uid));
        keyOf.set(k.uid, k.key);
      }
    }
  });
  afterAll(async () => {
    await cluster?.stop();
    await single?.stop();
  });

  const token = (searchRules: Rules, opts: { uid?: string; apiKey?: string; expiresAt?: number; algorithm?: 'HS256' | 'HS384' | 'HS512' } = {}): Promise<string> => {
    const uid = opts.uid ?? SEARCH_UID;
    return generateTenantToken({ apiKey: opts.apiKey ?? keyOf.get(uid)!, apiKeyUid: uid, searchRules, expiresAt: opts.expiresAt, algorithm: opts.algorithm });
  };

  /** The same raw request with `bearer` on Miroir and on the single node. */
  async function both(bearer: string, method: string, path: string, body?: unknown): Promise<[Answer, Answer]> {
    const one = async (base: string): Promise<Answer> => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
      const text = await res.text();
      return { status: res.status, body: normalize(text ? JSON.parse(text) : text) };
    };
    return [await one(cluster.url), await one(single.url)];
  }

  const sdk = (base: string, t: string): Meilisearch => new Meilisearch({ host: base, apiKey: t });

  describe('search is restricted the same way', () => {
    it.each<[string, Rules, Record<string, unknown>]>([
      ['a rule filter', { movies: { filter: 'user = a' } }, {}],
      ['a rule filter and a client filter', { movies: { filter: 'user = a' } }, { filter: 'genre = drama' }],
      ['array forms on both sides', { movies: { filter: ['user = a', ['genre = drama', 'genre = horror']] } }, { filter: [['year > 2020', 'year < 2005']] }],
      ['a null rule', { movies: null }, { filter: 'genre = comedy' }],
      ['the most specific pattern', { '*': { filter: 'user = b' }, 'mo*': { filter: 'user = a' }, 'movies': { filter: 'year >= 2015' } }, {}],
      ['an exact pattern with a null rule over a wildcard', { '*': { filter: 'user = b' }, movies: null }, {}],
      ['the list form', ['movies', 'books'], { filter: 'genre = horror' }],
    ])('with %s', async (_name, rules, params) => {
      const t = await token(rules);
      const [mine, theirs] = await Promise.all([cluster.url, single.url].map((base) => sdk(base, t).index('movies').search('', { ...params, sort: ['id:asc'], limit: 50 })));
      expect(mine!.hits).toEqual(theirs!.hits);
      expect(mine!.estimatedTotalHits).toBe(theirs!.estimatedTotalHits);
      expect(mine!.hits.length).toBeGreaterThan(0);
    });

    it('with GET search, every HMAC algorithm, and an unsorted search', async () => {
      for (const algorithm of ['HS256', 'HS384', 'HS512'] as const) {
        const t = await token({ movies: { filter: 'user = a' } }, { algorithm });
        const [mine, theirs] = await both(t, 'GET', `/indexes/movies/search?filter=${encodeURIComponent('genre = drama')}&sort=id:asc`);
        expect(mine).toEqual(theirs);
        expect(mine.status).toBe(200);
      }
      const t = await token({ movies: { filter: 'user = a' } });
      const [mine, theirs] = await both(t, 'POST', '/indexes/movies/search', { limit: 100 });
      const ids = (a: Answer) => ((a.body as { hits: Doc[] }).hits.map((h) => h.id) as number[]).sort((x, y) => x - y);
      expect(ids(mine)).toEqual(ids(theirs));
    });

    it('in multi-search, query by query', async () => {
      const t = await token({ movies: { filter: 'user = a' }, books: { filter: 'user = b' } });
      const queries = [
        { indexUid: 'movies', filter: 'genre = drama', sort: ['id:asc'] },
        { indexUid: 'books', sort: ['id:asc'] },
        { indexUid: 'movies', q: 'Movie', sort: ['id:asc'], limit: 5 },
      ];
      const [mine, theirs] = await Promise.all([cluster.url, single.url].map((base) => sdk(base, t).multiSearch({ queries })));
      expect(normalize(mine)).toEqual(normalize(theirs));
    });

    it('in federated search', async () => {
      const t = await token({ movies: { filter: 'user = a' }, books: { filter: 'genre = drama' } });
      const body = { federation: { limit: 100 }, queries: [{ indexUid: 'movies', filter: 'year < 2010' }, { indexUid: 'books' }] };
      const [mine, theirs] = await both(t, 'POST', '/multi-search', body);
      expect(mine.status).toBe(200);
      const view = (a: Answer) => {
        const b = a.body as { hits: Array<Doc & { _federation: { indexUid: string } }>; estimatedTotalHits: number };
        return { total: b.estimatedTotalHits, hits: b.hits.map((h) => `${h._federation.indexUid}/${String(h.id)}`).sort() };
      };
      expect(view(mine)).toEqual(view(theirs));
    });

    it('in facet search', async () => {
      const t = await token({ movies: { filter: 'user = a' } });
      const [mine, theirs] = await both(t, 'POST', '/indexes/movies/facet-search', { facetName: 'genre', filter: 'year > 2005' });
      expect(mine).toEqual(theirs);
      expect(mine.status).toBe(200);
    });

    // In vectorMovies, odd ids belong to user b, even ids to user a.
    it.each<[string, Rules, Record<string, unknown>]>([
      ['a rule filter', { movies_vec: { filter: 'user = a' } }, { id: 2, embedder: 'x', limit: 50 }],
      ['a rule and a client filter', { movies_vec: { filter: 'user = a' } }, { id: 2, embedder: 'x', filter: 'genre != comedy', limit: 50 }],
      ['a reference document outside the rule', { movies_vec: { filter: 'user = a' } }, { id: 1, embedder: 'x' }],
      ['a reference outside the rule and a bad client filter', { movies_vec: { filter: 'user = a' } }, { id: 1, embedder: 'x', filter: 'title = 1' }],
      ['a reference outside the rule and an unknown embedder', { movies_vec: { filter: 'user = a' } }, { id: 1, embedder: 'nope' }],
      ['a reference inside the rule, outside the client filter', { movies_vec: { filter: 'user = b' } }, { id: 1, embedder: 'x', filter: 'user = a' }],
      ['a rule on an attribute that is not filterable', { movies_vec: { filter: 'title = 1' } }, { id: 2, embedder: 'x' }],
      ['an array rule', { movies_vec: { filter: ['user = a', 'genre = drama'] } }, { id: 4, embedder: 'x' }],
      ['a missing reference document', { movies_vec: { filter: 'user = a' } }, { id: 999, embedder: 'x' }],
      ['an index outside the rules', ['books'], { id: 2, embedder: 'x' }],
    ])('in similar documents, with %s', async (_name, rules, body) => {
      const [mine, theirs] = await both(await token(rules), 'POST', '/indexes/movies_vec/similar', body);
      expect(mine).toEqual(theirs);
    });

    it('in similar documents with GET', async () => {
      const [mine, theirs] = await both(await token({ movies_vec: { filter: 'user = a' } }), 'GET', '/indexes/movies_vec/similar?id=4&embedder=x&limit=50');
      expect(mine).toEqual(theirs);
      expect(mine.status).toBe(200);
    });
  });

  describe('bad tokens get the same errors', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const search = (index = 'movies'): Pick<BadCase, 'method' | 'path' | 'body'> => ({ method: 'POST', path: `/indexes/${index}/search`, body: {} });
    const b64 = (s: string): string => Buffer.from(s).toString('base64url');
    const otherKey = (uid: string, master: string): string => createHmac('sha256', master).update(uid).digest('hex');
    interface BadCase {
      name: string;
      code: string;
      make: () => Promise<string>;
      method: string;
      path: string;
      body?: unknown;
    }
    const cases: BadCase[] = [
      { name: 'an expired token', code: 'invalid_api_key', make: () => token(['*'], { expiresAt: now() - 60 }), ...search() },
      { name: 'a forged signature', code: 'invalid_api_key', make: () => token(['*'], { apiKey: otherKey(SEARCH_UID, 'not-the-master-key') }), ...search() },
      { name: 'a token signed by another key', code: 'invalid_api_key', make: () => token(['*'], { apiKey: keyOf.get(DOCS_UID)! }), ...search() },
      { name: 'an unknown key uid', code: 'invalid_api_key', make: () => token(['*'], { uid: UNKNOWN_UID, apiKey: otherKey(UNKNOWN_UID, cluster.masterKey) }), ...search() },
      { name: 'a key without the search action', code: 'invalid_api_key', make: () => token(['*'], { uid: DOCS_UID }), ...search() },
      { name: 'an index outside the rules', code: 'invalid_api_key', make: () => token({ movies: null, books: { filter: 'user = a' } }), ...search('secret') },
      { name: 'an index outside the key', code: 'invalid_api_key', make: () => token(['*']), ...search('secret') },
      {
        name: 'a multi-search query outside the rules',
        code: 'invalid_api_key',
        make: () => token({ movies: null }),
        method: 'POST',
        path: '/multi-search',
        body: { queries: [{ indexUid: 'movies' }, { indexUid: 'books' }] },
      },
      {
        name: 'a federated query outside the key',
        code: 'invalid_api_key',
        make: () => token(['*']),
        method: 'POST',
        path: '/multi-search',
        body: { federation: {}, queries: [{ indexUid: 'movies' }, { indexUid: 'secret' }] },
      },
      {
        name: 'a facet search outside the rules',
        code: 'invalid_api_key',
        make: () => token(['books']),
        method: 'POST',
        path: '/indexes/movies/facet-search',
        body: { facetName: 'genre' },
      },
      { name: 'a route that is not a search', code: 'invalid_api_key', make: () => token(['*']), method: 'GET', path: '/indexes/movies/documents' },
      { name: 'a malformed token', code: 'invalid_api_key', make: async () => 'a.b.c', ...search() },
      { name: 'claims without a key uid', code: 'invalid_api_key', make: async () => `${b64('{"alg":"HS256"}')}.${b64('{"searchRules":["*"]}')}.x`, ...search() },
      {
        name: 'a rule filter on an attribute that is not filterable',
        code: 'invalid_search_filter',
        make: () => token({ movies: { filter: 'title = x' } }),
        method: 'POST',
        path: '/indexes/movies/search',
        body: { filter: 'genre = drama' },
      },
    ];

    it.each(cases)('$name', async ({ code, make, method, path, body }) => {
      const [mine, theirs] = await both(await make(), method, path, body);
      expect(mine).toEqual(theirs);
      expect(mine.body).toMatchObject({ code });
    });

    /** A token signed with the search key's value, its header and claims written by hand. */
    const signed = (header: unknown, claims: unknown): string => {
      const h = b64(JSON.stringify(header));
      const p = b64(typeof claims === 'string' ? claims : JSON.stringify(claims));
      return `${h}.${p}.${createHmac('sha256', keyOf.get(SEARCH_UID)!).update(`${h}.${p}`).digest('base64url')}`;
    };
    const HS = { alg: 'HS256', typ: 'JWT' };
    it.each<[string, () => string, string, string, unknown?]>([
      ['alg none', () => `${b64('{"alg":"none"}')}.${b64(JSON.stringify({ apiKeyUid: SEARCH_UID, searchRules: ['*'] }))}.`, 'POST', '/indexes/movies/search', {}],
      ['alg RS256', () => signed({ alg: 'RS256' }, { apiKeyUid: SEARCH_UID, searchRules: ['*'] }), 'POST', '/indexes/movies/search', {}],
      ['an audience', () => signed(HS, { apiKeyUid: SEARCH_UID, searchRules: ['*'], aud: ['x'] }), 'POST', '/indexes/movies/search', {}],
      ['a bad uid', () => signed(HS, { apiKeyUid: 'nope', searchRules: ['*'] }), 'POST', '/indexes/movies/search', {}],
      ['a simple-form uid', () => signed(HS, { apiKeyUid: SEARCH_UID.replace(/-/g, ''), searchRules: { movies: { filter: 'user = a' } } }), 'POST', '/indexes/movies/search', { sort: ['id:asc'] }],
      ['a string exp', () => signed(HS, { apiKeyUid: SEARCH_UID, searchRules: ['*'], exp: 'x' }), 'POST', '/indexes/movies/search', {}],
      ['null rules', () => signed(HS, { apiKeyUid: SEARCH_UID, searchRules: null }), 'POST', '/indexes/movies/search', {}],
      ['empty rules', () => signed(HS, { apiKeyUid: SEARCH_UID, searchRules: {} }), 'POST', '/indexes/movies/search', {}],
      ['a rule filter of another type', () => signed(HS, { apiKeyUid: SEARCH_UID, searchRules: { movies: { filter: 42 } } }), 'POST', '/indexes/movies/search', {}],
      ['the same in multi-search', () => signed(HS, { apiKeyUid: SEARCH_UID, searchRules: { movies: { filter: 42 } } }), 'POST', '/multi-search', { queries: [{ indexUid: 'movies' }] }],
      ['the same with a client filter', () => signed(HS, { apiKeyUid: SEARCH_UID, searchRules: { movies: { filter: [42] } } }), 'POST', '/indexes/movies/search', { filter: 'genre = drama' }],
      ['a rule filter that does not parse', () => signed(HS, { apiKeyUid: SEARCH_UID, searchRules: { movies: { filter: 'user =' } } }), 'POST', '/indexes/movies/search', { filter: ['genre = drama'] }],
      ['a missing index inside the rules', () => signed(HS, { apiKeyUid: SEARCH_UID, searchRules: ['movies*'] }), 'POST', '/indexes/movies2/search', {}],
      [
        'a bad query body before an index outside the rules',
        () => signed(HS, { apiKeyUid: SEARCH_UID, searchRules: ['movies'] }),
        'POST',
        '/multi-search',
        { queries: [{ indexUid: 'secret' }, { indexUid: 'movies', limit: 'x' }] },
      ],
    ])('%s', async (_name, make, method, path, body) => {
      const [mine, theirs] = await both(make(), method, path, body);
      expect(mine).toEqual(theirs);
    });

    it('a token of a deleted key', async () => {
      const t = await token({ movies: { filter: 'user = a' } }, { uid: DOOMED_UID });
      const [before] = await both(t, 'POST', '/indexes/movies/search', {});
      expect(before.status).toBe(200);
      await cluster.client().deleteKey(DOOMED_UID);
      await meiliClient(single.url, cluster.masterKey).deleteKey(DOOMED_UID);
      const [mine, theirs] = await both(t, 'POST', '/indexes/movies/search', {});
      expect(mine).toEqual(theirs);
      expect(mine.status).toBe(403);
    });
  });
});
