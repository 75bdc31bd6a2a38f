// fast-check generators for hostile input: strings and numbers at the edges, wrong types, deep
// nesting, filter-language injection, reserved `_miroir_*` fields at any depth, raw bytes that are
// not UTF-8. Building blocks for the request generators in requests.ts.
import fc from 'fast-check';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Strings users (and attackers) actually send: edge characters, lone surrogates, traversal, huge. */
export const weirdString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 6 },
  {
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\u0000',
      '\ud800',
      '\udfff',
      'a\ud83dz',
      '"',
      "'",
      '\\',
      '\\u0000',
      '%00',
      '%ff',
      '../../etc/passwd',
      '${jndi:ldap://x}',
      '<script>alert(1)</script>',
      '_miroir_shard',
      '_miroir_updated_at',
      'id',
      '*',
      '\r\n\r\nGET / HTTP/1.1',
      '🦀'.repeat(200),
      '\u202e\u0301\ufeff',
    ),
    weight: 3,
  },
  // Long strings: 10 KB–300 KB (large enough to hurt, small enough to keep the run short).
  { arbitrary: fc.integer({ min: 10_000, max: 300_000 }).map((n) => 'x'.repeat(n)), weight: 1 },
);

/** Numbers no client should send, as JSON values. */
export const absurdNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, -2147483649, 2 ** 31, 2 ** 32, 2 ** 53 + 2, 2 ** 64, 1e308, -1e308, 5e-324, 0.5, -0.5),
  fc.double({ noNaN: true }),
  fc.integer(),
);

/** Number literals JSON.stringify cannot produce: overflow, precision loss, exponent bombs. */
export const rawNumberLiteral: fc.Arbitrary<string> = fc.constantFrom(
  '1e999',
  '-1e999',
  '1e-99999',
  '123456789012345678901234567890',
  '-0.0000000000000000000000000001',
  '1.7976931348623157e309',
  '00012',
  '1E+2',
  '9'.repeat(400),
);

/** Field names: real-looking ones, reserved ones, empty, dotted, weird. */
export const fieldName: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('id', 'title', 'genre', 'year', 'price', 'tags', 'a.b', '', '_miroir_shard', '_miroir_x', '_miroirish', '__proto__', 'constructor'),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }),
);

/** Any JSON value, including wrong types for every field. */
export const anyJson: fc.Arbitrary<Json> = fc.letrec<{ v: Json }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    absurdNumber,
    weirdString,
    fc.array(tie('v'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(weirdString, fieldName), tie('v'), { maxKeys: 5 }),
  ),
})).v;

/** `[[[[…]]]]` or `{"a":{"a":…}}` of depth 100–20,000, as raw JSON text (JSON.stringify would recurse). */
export const deepJsonText: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 100, max: 20_000 }), fc.boolean())
  .map(([n, arrays]) => (arrays ? '['.repeat(n) + ']'.repeat(n) : '{"a":'.repeat(n) + '1' + '}'.repeat(n)));

const FILTER_TOKENS = ['id', 'genre', 'year', '_miroir_shard', '=', '!=', '>', '>=', '<', 'TO', 'IN', 'NOT IN', '[', ']', '(', ')', 'AND', 'OR', 'NOT', 'EXISTS', 'IS NULL', 'IS EMPTY', '"', "'", '\\', '1', '"x"', ',', '_geoRadius(0,0,1)', '_geoBoundingBox([0,0],[1,1])', '\u0000', '\n'];

/** Filter expressions, mostly malformed; some try to reach Miroir's reserved `_miroir_shard`. */
export const filterString: fc.Arbitrary<string> = fc.oneof(
  fc.array(fc.constantFrom(...FILTER_TOKENS), { minLength: 1, maxLength: 30 }).map((t) => t.join(' ')),
  fc.constantFrom(
    'id = 1 OR _miroir_shard = 3',
    '_miroir_shard EXISTS',
    '_miroir_shard IN [0, 1, 2]',
    'NOT _miroir_shard = 0',
    'id = "1" OR 1 = 1',
    "id = '1'; DROP TABLE tasks; --",
    'genre = "a\\" OR \\"b"',
    'year 1 TO',
    'id IN [',
    '(((((((((((((((((((((((((((((id = 1',
    `${'NOT '.repeat(5_000)}id = 1`,
    `${'('.repeat(3_000)}id = 1${')'.repeat(3_000)}`,
    Array.from({ length: 2_000 }, (_, i) => `id = ${i}`).join(' OR '),
  ),
  weirdString,
);

/** A filter in any of its forms: string, array form (possibly nested or wrongly typed), junk. */
export const filterValue: fc.Arbitrary<Json> = fc.oneof(
  { arbitrary: filterString, weight: 4 },
  { arbitrary: fc.array(fc.oneof(filterString, fc.array(filterString, { maxLength: 3 })), { maxLength: 4 }), weight: 2 },
  { arbitrary: anyJson, weight: 1 },
);

/** Valid document ids (so that only the generated defect makes a document wrong). */
export const validId: fc.Arbitrary<string | number> = fc.oneof(fc.nat(), fc.stringMatching(/^[a-zA-Z0-9_-]{1,30}$/));

/** Ids a document should never carry: wrong types, forbidden characters, over 511 bytes. */
export const badId: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(null, true, -1, 1.5, 1e300, '', ' ', 'a b', 'é', 'a/b', 'x'.repeat(512), '\u0000', [], {}, [1], { id: 1 }),
  weirdString,
);

/** Wraps `value` under `_miroir_<suffix>` inside 0–8 levels of objects and arrays. */
export const reservedAtDepth: fc.Arbitrary<{ field: string; nest: (doc: Record<string, Json>) => Record<string, Json> }> = fc
  .tuple(fc.stringMatching(/^[a-z_]{0,10}$/), fc.array(fc.oneof(fc.constant('[]'), fieldName.filter((f) => !f.startsWith('_miroir_') && f !== '__proto__' && f !== 'id')), { maxLength: 8 }), anyJson)
  .map(([suffix, path, value]) => {
    const field = `_miroir_${suffix}`;
    return {
      field,
      nest: (doc) => {
        let inner: Json = { [field]: value };
        for (const step of [...path].reverse()) inner = step === '[]' ? [inner] : { [step]: inner };
        // The outermost step must be a field of the document itself.
        return { ...doc, ...(Array.isArray(inner) ? { wrapped: inner } : (inner as Record<string, Json>)) };
      },
    };
  });

/** Bytes that are not valid UTF-8: stray continuation bytes, overlongs, surrogates, truncations. */
export const invalidUtf8: fc.Arbitrary<Buffer> = fc.oneof(
  fc.constantFrom(
    Buffer.from([0xff]),
    Buffer.from([0xc0, 0xaf]),
    Buffer.from([0xe0, 0x80, 0xaf]),
    Buffer.from([0xed, 0xa0, 0x80]),
    Buffer.from([0xf4, 0x90, 0x80, 0x80]),
    Buffer.from([0xc3]),
    Buffer.from([0x80, 0x80, 0x80]),
    Buffer.from([0xfe, 0xfe, 0xff, 0xff]),
  ),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((a) => Buffer.from(a)),
);

/** Percent-encodes every byte of `b` (so invalid UTF-8 reaches the server byte for byte). */
export const percentBytes = (b: Buffer): string => [...b].map((x) => `%${x.toString(16).padStart(2, '0').toUpperCase()}`).join('');

/** A URL component: usually a readable string (UTF-8, lone surrogates replaced), sometimes raw bytes. */
export const urlComponent: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: weirdString.map((s) => percentBytes(Buffer.from(s, 'utf8'))), weight: 3 },
  { arbitrary: invalidUtf8.map(percentBytes), weight: 1 },
  { arbitrary: fc.constantFrom('%', '%G0', '%2', '..', '%2e%2e', '%2F', '+', ';', '&', '='), weight: 1 },
);

export type { Json };
