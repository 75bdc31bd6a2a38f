import { createHmac } from 'node:crypto';
import { keyValue } from '../../../../apps/api/src/auth/key-value';
import { readTenantToken, TenantTokenError, verifyTenantToken } from '../../../../apps/api/src/auth/tenant-token';

// Every expected message below is what Meilisearch 1.50 answered to the same token (master key
// MASTER, key uid S), so Miroir refuses malformed and forged tokens with the same words.
// `meilisearch/token` is a package-exports subpath, which this tsconfig's module resolution cannot
// type: required at run time, typed from the file it maps to.
const { generateTenantToken } = require('meilisearch/token') as typeof import('meilisearch/dist/token');

const MASTER = 'ttMasterKey-0123456789abcdef';
const S = '11111111-1111-4111-8111-111111111111';
const A = '33333333-3333-4333-8333-333333333333';
const KEY = keyValue(MASTER, S);
const HD = { alg: 'HS256', typ: 'JWT' };
const NOW = 1_796_577_804;

const b64 = (o: unknown): string => Buffer.from(typeof o === 'string' ? o : JSON.stringify(o)).toString('base64url');
const sign = (h: string, p: string, key = KEY, alg = 'HS256'): string => `${h}.${p}.${createHmac(`sha${alg.slice(2)}`, key).update(`${h}.${p}`).digest('base64url')}`;
const raw = (header: unknown, payload: unknown, key = KEY): string => sign(b64(header), b64(payload), key);
const P = { apiKeyUid: S, searchRules: ['*'] };

/** The refusal message of `token`, or 'ok' / 'not a jwt'. */
function outcome(token: string, now = NOW): string {
  try {
    const t = readTenantToken(token);
    if (!t) return 'not a jwt';
    verifyTenantToken(t, keyValue(MASTER, t.claims.apiKeyUid), now);
    return 'ok';
  } catch (err) {
    if (err instanceof TenantTokenError) return err.message;
    throw err;
  }
}

const decode = (reason: string): string => `Could not decode tenant token, ${reason}.`;

describe('tenant tokens: decoding and verification as Meilisearch 1.50', () => {
  it('accepts the official client tokens in every HMAC algorithm and reads their claims', async () => {
    for (const algorithm of ['HS256', 'HS384', 'HS512'] as const) {
      const token = await generateTenantToken({ apiKey: KEY, apiKeyUid: S, searchRules: { movies: { filter: 'user = a' } }, expiresAt: NOW + 60, algorithm });
      expect(outcome(token)).toBe('ok');
      const t = readTenantToken(token)!;
      expect(t.header.alg).toBe(algorithm);
      expect(t.claims).toMatchObject({ apiKeyUid: S, exp: NOW + 60, hasAudience: false });
      expect(t.claims.searchRules).toEqual({ kind: 'map', rules: new Map([['movies', { filter: 'user = a' }]]) });
    }
  });

  it('refuses forged, expired and foreign tokens with Meilisearch words', async () => {
    expect(outcome(await generateTenantToken({ apiKey: 'x'.repeat(64), apiKeyUid: S, searchRules: ['*'] }))).toBe(decode('InvalidSignature'));
    // Signed with another key's value: the signature does not match the claimed uid's key.
    expect(outcome(await generateTenantToken({ apiKey: keyValue(MASTER, A), apiKeyUid: S, searchRules: ['*'] }))).toBe(decode('InvalidSignature'));
    expect(outcome(raw(HD, { ...P, exp: NOW - 10 }))).toBe(`Tenant token expired. Was valid up to \`${NOW - 10}\` and we're now \`${NOW}\`.`);
    expect(outcome(raw(HD, { ...P, exp: NOW }))).toBe('ok'); // expired only once now > exp
    expect(outcome(raw(HD, { ...P, exp: -5 }))).toBe(`Tenant token expired. Was valid up to \`-5\` and we're now \`${NOW}\`.`);
    expect(outcome(raw(HD, { ...P, exp: 5 }, 'zz'))).toBe(decode('InvalidSignature'));
    expect(outcome(raw({ alg: 'HS384' }, P))).toBe(decode('InvalidSignature'));
    expect(outcome(raw({ alg: 'RS256', typ: 'JWT' }, P))).toBe(decode('InvalidAlgorithm'));
    expect(outcome(raw(HD, { ...P, aud: ['x'] }))).toBe(decode('InvalidAudience'));
    expect(outcome(raw(HD, { ...P, aud: 'x' }, 'zz'))).toBe(decode('InvalidSignature'));
    expect(outcome(`${b64(HD)}.${b64(P)}.`)).toBe(decode('InvalidSignature'));
  });

  it('ignores what Meilisearch ignores', () => {
    expect(outcome(raw({ alg: 'HS256' }, P))).toBe('ok');
    expect(outcome(raw({ alg: 'HS256', typ: null, x5c: ['x'] }, P))).toBe('ok');
    expect(outcome(raw(HD, { ...P, aud: 5, iss: 'x', sub: 'x', nbf: NOW + 1000, iat: NOW, foo: 1 }))).toBe('ok');
    expect(outcome(raw(HD, { ...P, exp: null }))).toBe('ok');
    expect(outcome(sign(b64(HD), b64(` {"apiKeyUid" : "${S}", "searchRules":["*"] } `)))).toBe('ok');
    for (const uid of [S.replace(/-/g, ''), S.toUpperCase(), `{${S}}`, `urn:uuid:${S}`]) {
      const t = raw(HD, { apiKeyUid: uid, searchRules: ['*'] });
      expect(outcome(t)).toBe('ok');
      expect(readTenantToken(t)!.claims.apiKeyUid).toBe(S);
    }
  });

  it('leaves bearer values that are not shaped like a JWT to the API-key check', () => {
    for (const t of ['abc', 'a.b', KEY, '.abc']) expect(outcome(t)).toBe('not a jwt');
  });

  it.each([
    ['a.b.c', 'Base64 error: Invalid input length: 1'],
    ['a.b.c.d', 'Base64 error: Invalid symbol 46, offset 1.'],
    ['@.e30.x', 'Base64 error: Invalid symbol 64, offset 0.'],
    ['ab.e30.x', 'Base64 error: Invalid last symbol 98, offset 1.'],
    ['abc.e30.x', 'JSON error: expected value at line 1 column 1'],
    ['ab==.e30.x', 'Base64 error: Invalid padding'],
    ['a@.e30.x', 'Base64 error: Invalid symbol 64, offset 1.'],
    ['abcd@.e30.x', 'Base64 error: Invalid symbol 64, offset 4.'],
    ['abcde.e30.x', 'Base64 error: Invalid input length: 5'],
    ['.e30.x', 'JSON error: EOF while parsing a value at line 1 column 0'],
    [`${b64(HD)}..x`, 'JSON error: EOF while parsing a value at line 1 column 0'],
    [`${b64(HD)}.${b64(P)}.a`, 'Base64 error: Invalid input length: 1'],
    [`${b64(HD)}.${b64(P)}.@@@`, 'Base64 error: Invalid symbol 64, offset 0.'],
    [`${b64('{x')}.${b64(P)}.sig`, 'JSON error: key must be a string at line 1 column 2'],
  ])('refuses the malformed token %s', (token, reason) => {
    expect(outcome(token)).toBe(decode(reason));
  });

  const claims = (text: string): string => sign(b64(HD), b64(text));
  const U = (uid: unknown): string => raw(HD, { apiKeyUid: uid, searchRules: ['*'] });
  it.each([
    ['{}', 'missing field `searchRules` at line 1 column 2'],
    [JSON.stringify({ searchRules: ['*'] }), 'missing field `apiKeyUid` at line 1 column 21'],
    [JSON.stringify({ apiKeyUid: S }), 'missing field `searchRules` at line 1 column 52'],
    [JSON.stringify({ exp: 1 }), 'missing field `searchRules` at line 1 column 9'],
    [JSON.stringify({ ...P, exp: 'x' }), 'invalid type: string "x", expected i64 at line 1 column 81'],
    [JSON.stringify({ ...P, exp: 1796577820.5 }), 'invalid type: floating point `1796577820.5`, expected i64 at line 1 column 90'],
    [JSON.stringify({ ...P, exp: true }), 'invalid type: boolean `true`, expected i64 at line 1 column 82'],
    [JSON.stringify({ ...P, exp: [1] }), 'invalid type: sequence, expected i64 at line 1 column 78'],
    [JSON.stringify({ ...P, exp: {} }), 'invalid type: map, expected i64 at line 1 column 78'],
    [JSON.stringify({ ...P, exp: 1e30 }), 'invalid type: floating point `1e+30`, expected i64 at line 1 column 83'],
    [`{"apiKeyUid":"${S}","searchRules":["*"],"exp":18446744073709551615}`, 'invalid value: integer `18446744073709551615`, expected i64 at line 1 column 98'],
    [`{"apiKeyUid":"${S}","searchRules":["*"],"exp":-9223372036854775809}`, 'invalid type: floating point `-9.223372036854776e+18`, expected i64 at line 1 column 98'],
    [`{"apiKeyUid":"${S}","searchRules":["*"],"exp":1.0}`, 'invalid type: floating point `1.0`, expected i64 at line 1 column 81'],
    [`{"apiKeyUid":"${S}","searchRules":["*"],"exp":1e3}`, 'invalid type: floating point `1000.0`, expected i64 at line 1 column 81'],
    [`{"apiKeyUid":"${S}","searchRules":["*"],"exp":1,"exp":2}`, 'duplicate field `exp` at line 1 column 85'],
    [`{"searchRules":["*"],"searchRules":["*"],"apiKeyUid":"${S}"}`, 'duplicate field `searchRules` at line 1 column 34'],
    [`{"apiKeyUid":"${S}","apiKeyUid":"${S}","searchRules":["*"]}`, 'duplicate field `apiKeyUid` at line 1 column 63'],
    [JSON.stringify({ apiKeyUid: S, searchRules: null }), 'data did not match any variant of untagged enum SearchRules at line 1 column 71'],
    [JSON.stringify({ apiKeyUid: S, searchRules: [1] }), 'data did not match any variant of untagged enum SearchRules at line 1 column 70'],
    [JSON.stringify({ apiKeyUid: S, searchRules: { movies: 'x' } }), 'data did not match any variant of untagged enum SearchRules at line 1 column 81'],
    [JSON.stringify({ apiKeyUid: S, searchRules: { movies: [] } }), 'data did not match any variant of untagged enum SearchRules at line 1 column 80'],
    [JSON.stringify({ apiKeyUid: S, searchRules: 'movies' }), 'data did not match any variant of untagged enum SearchRules at line 1 column 75'],
    [`{"apiKeyUid":"${S}","searchRules":{"movies":{"filter":"user = a","filter":"user = b"}}}`, 'data did not match any variant of untagged enum SearchRules at line 1 column 119'],
    [`{"apiKeyUid":"${S}","x":"éé","searchRules":null}`, 'data did not match any variant of untagged enum SearchRules at line 1 column 82'],
    [`{ "apiKeyUid" : "${S}" , "searchRules" : null }`, 'data did not match any variant of untagged enum SearchRules at line 1 column 79'],
    ['{"apiKeyUid":5,"searchRules":null}', 'invalid type: integer `5`, expected a formatted UUID string at line 1 column 14'],
    ['{"x":{"a":[1,{"b":"}"}]},"apiKeyUid":5}', 'invalid type: integer `5`, expected a formatted UUID string at line 1 column 38'],
    ['[]', 'invalid length 0, expected struct Claims with 3 elements at line 1 column 2'],
    ['[["*"]]', 'invalid length 1, expected struct Claims with 3 elements at line 1 column 7'],
    ['null', 'invalid type: null, expected struct Claims at line 1 column 4'],
    ['true', 'invalid type: boolean `true`, expected struct Claims at line 1 column 4'],
    ['"x"', 'invalid type: string "x", expected struct Claims at line 1 column 3'],
    ['1.5', 'invalid type: floating point `1.5`, expected struct Claims at line 1 column 3'],
    ['5', 'invalid type: integer `5`, expected struct Claims at line 1 column 1'],
    ['x', 'expected value at line 1 column 1'],
    ['{"a":', 'EOF while parsing a value at line 1 column 5'],
    [`{"apiKeyUid":"${S}","searchRules":["*"]} x`, 'trailing characters at line 1 column 74'],
  ])('refuses the claims %s', (text, reason) => {
    expect(outcome(claims(text))).toBe(decode(`JSON error: ${reason}`));
  });

  it.each([
    ['nope', 'invalid character: found `n` at 0 at line 1 column 19'],
    ['1234', 'invalid length: found 4 at line 1 column 19'],
    ['11111111-1111-4111-8111-11111111111z', 'invalid character: found `z` at 35 at line 1 column 51'],
    ['11111111-1111-4111-8111-11111111111', 'invalid group length in group 4: expected 12, found 11 at line 1 column 50'],
    ['11111111-1111-4111-8111-1111111111111', 'invalid group length in group 4: expected 12, found 13 at line 1 column 52'],
    ['111111111-111-4111-8111-111111111111', 'invalid group length in group 0: expected 8, found 9 at line 1 column 51'],
    ['1111-2222', 'invalid group count: expected 5, found 2 at line 1 column 24'],
    ['{nope}', 'invalid character: found `n` at 1 at line 1 column 21'],
    ['é', 'invalid character: found `é` at 0 at line 1 column 17'],
    ['', 'invalid length: found 0 at line 1 column 15'],
    ['1111111111114111811111111111111', 'invalid length: found 31 at line 1 column 46'],
    ['1-1-1-1-1-1', 'invalid group count: expected 5, found 6 at line 1 column 26'],
    [`URN:UUID:${S}`, 'invalid character: found `U` at 0 at line 1 column 60'],
    [`{${S}`, 'invalid character: found `{` at 0 at line 1 column 52'],
    [`${S}}`, 'invalid character: found `}` at 36 at line 1 column 52'],
    ['{1111-2222}', 'invalid group count: expected 5, found 2 at line 1 column 26'],
    ['-', 'invalid group count: expected 5, found 2 at line 1 column 16'],
    ['ab cd', 'invalid character: found ` ` at 2 at line 1 column 20'],
  ])('refuses the key uid %j', (uid, reason) => {
    expect(outcome(U(uid))).toBe(decode(`JSON error: UUID parsing failed: ${reason}`));
  });

  it('refuses key uids of other types', () => {
    expect(outcome(U(null))).toBe(decode('JSON error: invalid type: null, expected a formatted UUID string at line 1 column 17'));
    expect(outcome(U(5))).toBe(decode('JSON error: invalid type: integer `5`, expected a formatted UUID string at line 1 column 14'));
  });

  const header = (h: unknown): string => raw(h, P);
  it.each([
    [{ typ: 'JWT' }, 'missing field `alg` at line 1 column 13'],
    [{ alg: 'none', typ: 'JWT' }, 'unknown variant `none`, expected one of `HS256`, `HS384`, `HS512`, `ES256`, `ES384`, `RS256`, `RS384`, `RS512`, `PS256`, `PS384`, `PS512`, `EdDSA` at line 1 column 13'],
    [{ alg: 'hs256' }, 'unknown variant `hs256`, expected one of `HS256`, `HS384`, `HS512`, `ES256`, `ES384`, `RS256`, `RS384`, `RS512`, `PS256`, `PS384`, `PS512`, `EdDSA` at line 1 column 14'],
    [{ alg: 5 }, 'expected value at line 1 column 8'],
    [{ alg: null }, 'expected value at line 1 column 8'],
    [{ alg: [] }, 'expected value at line 1 column 8'],
    [{ alg: {} }, 'expected value at line 1 column 9'],
    [{ alg: 'HS256', foo: 1, kid: 'x' }, 'invalid type: integer `1`, expected a string at line 1 column 33'],
    [{ alg: 'HS256', typ: 5 }, 'invalid type: integer `5`, expected a string at line 1 column 22'],
    [{ alg: 'HS256', foo: null }, 'invalid type: null, expected a string at line 1 column 26'],
    [{ alg: 'HS256', foo: {} }, 'invalid type: map, expected a string at line 1 column 24'],
    [{ alg: 'HS256', jwk: 'x' }, 'invalid type: string "x", expected struct Jwk at line 1 column 24'],
    [{ alg: 'HS256', x5c: 'x' }, 'invalid type: string "x", expected a sequence at line 1 column 24'],
    [{ alg: 'HS256', kid: 5, foo: 1 }, 'invalid type: integer `5`, expected a string at line 1 column 22'],
    [{ alg: 'HS256', foo: 1, typ: 5 }, 'invalid type: integer `5`, expected a string at line 1 column 30'],
    [5, 'invalid type: integer `5`, expected struct Header at line 1 column 1'],
    [null, 'invalid type: null, expected struct Header at line 1 column 4'],
    [[1], 'invalid type: sequence, expected struct Header at line 1 column 0'],
  ])('refuses the header %j', (h, reason) => {
    expect(outcome(header(h))).toBe(decode(`JSON error: ${reason}`));
  });

  it('refuses a duplicate header field', () => {
    expect(outcome(sign(b64('{"alg":"HS256","alg":"HS384"}'), b64(P)))).toBe(decode('JSON error: duplicate field `alg` at line 1 column 20'));
  });

  it('decodes the claims before checking the algorithm (Meilisearch reads the key uid first)', () => {
    expect(outcome(raw({ alg: 'RS256' }, { searchRules: ['*'] }))).toBe(decode('JSON error: missing field `apiKeyUid` at line 1 column 21'));
  });
});
