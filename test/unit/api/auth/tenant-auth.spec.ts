import type { KnownKey } from '../../../../apps/api/src/auth/key-directory.service';
import { keyValue } from '../../../../apps/api/src/auth/key-value';
import { tenantFilter, type Principal } from '../../../../apps/api/src/auth/principal';
import { authenticateTenantToken, routeIndexOf, TenantRefusal, type TenantAuthContext } from '../../../../apps/api/src/auth/tenant-auth';
import { scopeQueries } from '../../../../apps/api/src/search/tenant-scope';
import type { SearchQuery } from '../../../../apps/api/src/search/search-params';

// The guard's tenant-token path and the search-side filter, with Meilisearch 1.50's answers.
// `meilisearch/token` is a package-exports subpath, which this tsconfig's module resolution cannot
// type: required at run time, typed from the file it maps to.
const { generateTenantToken } = require('meilisearch/token') as typeof import('meilisearch/dist/token');

const MASTER = 'ttMasterKey-0123456789abcdef';
const S = '11111111-1111-4111-8111-111111111111';
const D = '22222222-2222-4222-8222-222222222222';
const NOW_MS = 1_796_577_804_000;

const KEYS = new Map<string, KnownKey>([
  [S, { uid: S, actions: ['search'], indexes: ['movies*', 'books'], expiresAt: null }],
  [D, { uid: D, actions: ['documents.get'], indexes: ['*'], expiresAt: null }],
]);

function ctx(routeIndex: string | undefined, over: Partial<TenantAuthContext> = {}): TenantAuthContext {
  return { masterKey: MASTER, routeIndex, lookupUid: async (uid) => KEYS.get(uid), nowMs: NOW_MS, ...over };
}

type Rules = Parameters<typeof generateTenantToken>[0]['searchRules'];
const token = (searchRules: Rules, uid = S, expiresAt?: number): Promise<string> =>
  generateTenantToken({ apiKey: keyValue(MASTER, uid), apiKeyUid: uid, searchRules, ...(expiresAt === undefined ? {} : { expiresAt }) });

async function refusal(p: Promise<unknown>): Promise<{ message: string; reason: string; status: number }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TenantRefusal) return { message: err.error.message, reason: err.reason, status: err.error.status };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('tenant-token authentication', () => {
  it('returns the key principal carrying the token rules', async () => {
    const p = await authenticateTenantToken(await token({ movies: { filter: 'user = a' } }), ctx('movies'));
    expect(p).toMatchObject({ kind: 'key', uid: S, actions: ['search'], indexes: ['movies*', 'books'] });
    expect((p as { searchRules?: unknown }).searchRules).toBeDefined();
  });

  it('leaves non-JWT bearer values to the API-key check', async () => {
    expect(await authenticateTenantToken(keyValue(MASTER, S), ctx('movies'))).toBeUndefined();
  });

  it('refuses as Meilisearch does, in its order', async () => {
    expect(await refusal(authenticateTenantToken(await token({ movies: null, 'zz*': null, books: { filter: 'user = a' } }), ctx('secret')))).toEqual({
      message: 'The provided tenant token cannot acces the index `secret`, allowed indexes are ["books", "movies", "zz*"].',
      reason: 'forbidden',
      status: 403,
    });
    expect((await refusal(authenticateTenantToken(await token(['*']), ctx('secret')))).message).toBe(
      'The API key used to generate this tenant token cannot acces the index `secret`.',
    );
    // A key without the search action, an unknown (or deleted) key, an expired key.
    for (const [t, c] of [
      [await token(['*'], D), ctx('movies')],
      [await token(['*'], '44444444-4444-4444-8444-444444444444'), ctx('movies')],
      [await token(['*']), ctx('movies', { lookupUid: async () => ({ ...KEYS.get(S)!, expiresAt: NOW_MS }) })],
    ] as const) {
      expect(await refusal(authenticateTenantToken(t, c))).toEqual({ message: 'The provided API key is invalid.', reason: 'invalid_key', status: 403 });
    }
    // Index errors come before the key's expiry, as on Meilisearch.
    const expiredKey = ctx('secret', { lookupUid: async () => ({ ...KEYS.get(S)!, expiresAt: NOW_MS - 1 }) });
    expect((await refusal(authenticateTenantToken(await token(['movies']), expiredKey))).message).toMatch(/^The provided tenant token cannot acces/);
    expect((await refusal(authenticateTenantToken(await token(['*'], S, NOW_MS / 1000 - 1), ctx('movies')))).message).toBe(
      `Tenant token expired. Was valid up to \`${NOW_MS / 1000 - 1}\` and we're now \`${NOW_MS / 1000}\`.`,
    );
  });

  it('checks no index on routes without one (multi-search checks its queries)', async () => {
    expect(await authenticateTenantToken(await token(['secret']), ctx(undefined))).toMatchObject({ kind: 'key' });
  });

  it('finds the route index of /indexes/{uid} routes only', () => {
    expect(routeIndexOf({ routeOptions: { url: '/indexes/:uid/search' }, params: { uid: 'movies' } })).toBe('movies');
    expect(routeIndexOf({ routeOptions: { url: '/multi-search' }, params: {} })).toBeUndefined();
  });
});

describe('tenant filters on the search paths', () => {
  const principal = async (rules: Rules): Promise<Principal> => (await authenticateTenantToken(await token(rules), ctx(undefined)))!;

  it('fuses the rule of the index with the client filter', async () => {
    const p = await principal({ movies: { filter: 'user = a' }, 'mov*': { filter: 'user = b' }, books: null });
    expect(tenantFilter(p, 'movies', 'genre = drama')).toEqual(['genre = drama', 'user = a']);
    expect(tenantFilter(p, 'movies2', undefined)).toBe('user = b');
    expect(tenantFilter(p, 'books', 'genre = drama')).toBe('genre = drama');
    expect(() => tenantFilter(p, 'secret', undefined)).toThrow('The provided API key is invalid.');
    // Outside the parent key's indexes even if the token's rules match.
    const wide = await principal(['*']);
    expect(() => tenantFilter(wide, 'secret', undefined)).toThrow('The provided API key is invalid.');
    expect(tenantFilter({ kind: 'master' }, 'secret', 'a = 1')).toBe('a = 1');
  });

  it('refuses a rule filter that is neither a string nor an array with Meilisearch words', async () => {
    // The official client types a filter as a string or array; a hand-made token may hold anything.
    const p = await principal({ movies: { filter: { a: 1 } } } as unknown as Rules);
    expect(() => tenantFilter(p, 'movies', undefined)).toThrow('Invalid syntax for the filter parameter: `expected String, Array, found: {"a":1}`.');
    // With a client filter the fused array goes to the nodes, which word the error themselves.
    expect(tenantFilter(p, 'movies', 'x = 1')).toEqual(['x = 1', { a: 1 }]);
  });

  it('checks every multi-search query before scoping any', async () => {
    const p = await principal({ movies: { filter: 'user = a' }, books: { filter: 'user = b' } });
    const q = (indexUid: string, params: SearchQuery = {}) => ({ indexUid, params, weight: 1 });
    expect(scopeQueries([q('movies', { filter: 'genre = drama' }), q('books')], p).map((x) => x.params.filter)).toEqual([['genre = drama', 'user = a'], 'user = b']);
    expect(() => scopeQueries([q('movies'), q('secret')], p)).toThrow('Inside `.queries[1]`: The provided API key is invalid.');
    expect(scopeQueries([q('secret')], { kind: 'master' })[0]!.params).toEqual({});
  });
});
