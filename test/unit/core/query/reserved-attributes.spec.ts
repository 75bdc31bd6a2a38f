import fc from 'fast-check';
import {
  assertFilterable,
  distinctNotFilterableMessage,
  echoClientFilter,
  facetsNotFilterableMessage,
  FilterParseError,
  hideReservedAttributeNames,
  parseFilter,
  reservedFacetsError,
  readsReservedAttribute,
  reservedFilterError,
  visibleFilterablePatterns,
} from '@miroir/core';

const SHARD = '_miroir_shard';

/** The message a node gives for `filter` when `filterable` is its setting. */
function filterMessage(filter: string, filterable: readonly string[]): string {
  try {
    assertFilterable(parseFilter(filter)!, filterable);
  } catch (err) {
    if (err instanceof FilterParseError) return err.message;
    throw err;
  }
  throw new Error(`${filter} is filterable`);
}

// Filterable attributes a client may set: never reserved, no backticks or ", " (list separators),
// and none covering the attributes the messages are about (those start with `z`).
const visibleLists = fc.uniqueArray(fc.stringMatching(/^[a-m][a-z0-9_.]{0,8}$/), { maxLength: 5 });
const notFilterable = fc.stringMatching(/^z[a-z0-9_]{0,8}$/);

describe('reserved attributes are invisible in read parameters and node messages (docs/design.md#reserved-attributes)', () => {
  it('reads the visible filterable patterns from plain and granular settings, without reserved ones', () => {
    expect(visibleFilterablePatterns([SHARD, 'genre', { attributePatterns: ['year', '_miroir_expires_at'], features: {} }])).toEqual(['genre', 'year']);
    expect(visibleFilterablePatterns(null)).toEqual([]);
    expect(visibleFilterablePatterns([42, { attributePatterns: 'x' }])).toEqual([]);
  });

  it('refuses a filter on a reserved attribute exactly as a node without it among its filterable attributes would', () => {
    expect(reservedFilterError(`${SHARD} = 3`, ['genre'])?.message).toBe(filterMessage(`${SHARD} = 3`, ['genre']));
    expect(reservedFilterError(`${SHARD} = 3`, ['genre'])?.message).toBe(
      'Attribute `_miroir_shard` is not filterable. Available filterable attribute patterns are: `genre`.\n1:14 _miroir_shard = 3',
    );
    expect(reservedFilterError(`${SHARD} = 3`, [])?.message).toBe(
      'Attribute `_miroir_shard` is not filterable. This index does not have configured filterable attributes.\n1:14 _miroir_shard = 3',
    );
    // Meilisearch 1.50 names the last attribute the client cannot filter on.
    expect(reservedFilterError(`year > 1 AND ${SHARD} = 3`, ['genre'])?.message).toMatch(/^Attribute `_miroir_shard` is not filterable/);
    expect(reservedFilterError(`${SHARD} = 3 AND year > 1`, ['genre'])?.message).toMatch(/^Attribute `year` is not filterable/);
    // Array form, nested OR.
    expect(reservedFilterError(['genre = a', ['genre = b', `${SHARD} IN [1, 2]`]], ['genre'])?.message).toMatch(/^Attribute `_miroir_shard`/);
    expect(reservedFilterError(`NOT ${SHARD} EXISTS`, ['genre'])).toBeInstanceOf(FilterParseError);
  });

  it('leaves filters without reserved attributes, and filters that do not parse, to the nodes', () => {
    expect(reservedFilterError('genre = a', ['genre'])).toBeUndefined();
    expect(reservedFilterError('year > 1', ['genre'])).toBeUndefined();
    expect(reservedFilterError(`${SHARD} = `, ['genre'])).toBeUndefined();
    expect(reservedFilterError(42, ['genre'])).toBeUndefined();
    expect(reservedFilterError(undefined, ['genre'])).toBeUndefined();
    expect(reservedFilterError(`"${SHARD}" = 3`, ['genre'])).toBeInstanceOf(FilterParseError);
    // The cheap test the API runs before reading the index's settings says the same.
    for (const f of ['genre = a', `${SHARD} = `, 42, undefined]) expect(readsReservedAttribute(f)).toBe(false);
    for (const f of [`${SHARD} = 3`, ['genre = a', [`${SHARD} = 1`]], `"${SHARD}" = 3`]) expect(readsReservedAttribute(f)).toBe(true);
  });

  // Wording as Meilisearch 1.50 answers (checked against the real binary): the first facet in the
  // request that is not filterable is named.
  it('refuses reserved facets with Meilisearch facet wording, naming the first facet the client cannot use', () => {
    expect(reservedFacetsError([SHARD], ['genre'])).toBe(
      'Invalid facet distribution: Pattern `_miroir_shard` is not filterable. Available filterable attributes patterns are: `genre`.',
    );
    expect(reservedFacetsError(['year', SHARD, 'genre', '*'], ['lang', 'genre'])).toBe(
      'Invalid facet distribution: Pattern `year` is not filterable. Available filterable attributes patterns are: `genre, lang`.',
    );
    expect(reservedFacetsError([SHARD], [])).toBe(
      'Invalid facet distribution: Pattern `_miroir_shard` is not filterable. This index does not have configured filterable attributes.',
    );
    expect(reservedFacetsError(['genre', '*'], ['genre'])).toBeUndefined();
    expect(reservedFacetsError(undefined, ['genre'])).toBeUndefined();
  });

  it('words a reserved filter as each route of Meilisearch 1.50 does', () => {
    const search = { kind: 'search', indexUid: 'movies' } as const;
    expect(reservedFilterError(`${SHARD} = 3`, ['genre'], search)?.message).toBe(
      'Index `movies`: Attribute `_miroir_shard` is not filterable. Available filterable attribute patterns are: `genre`.\n2:15 "_miroir_shard" = "3"',
    );
    expect(reservedFilterError(`genre = a AND ${SHARD} >= 0`, ['genre'], search)?.message).toBe(
      'Index `movies`: Attribute `_miroir_shard` is not filterable. Available filterable attribute patterns are: `genre`.\n23:36 ("genre" = "a") AND ("_miroir_shard" >= "0")',
    );
    expect(reservedFilterError(`NOT ${SHARD} IN [1,2]`, [], search)?.message).toBe(
      'Index `movies`: Attribute `_miroir_shard` is not filterable. This index does not have configured filterable attributes.\n7:20 NOT ("_miroir_shard" IN ["1", "2"])',
    );
    expect(reservedFilterError(`${SHARD} = 3`, ['genre'], { kind: 'deleteByFilter', indexUid: 'movies' })?.message).toBe(
      'Index `movies`: Attribute `_miroir_shard` is not filterable. Available filterable attribute patterns are: `genre`.\n1:14 _miroir_shard = 3',
    );
  });

  it('maps a node echo of the client filter ANDed with a shard restriction back to the client filter', () => {
    const head = 'Index `p`: Attribute `title` is not filterable. Available filterable attribute patterns are: `color`.';
    const restriction = '("_miroir_shard" IN ["1", "2"])';
    expect(echoClientFilter(`${head}\n3:8 ("title" = "x") AND ${restriction}`, 'title = x')).toBe(`${head}\n2:7 "title" = "x"`);
    expect(echoClientFilter(`${head}\n22:27 (("color" = "r") AND ("title" = "x")) AND ${restriction}`, 'color = r AND title = x')).toBe(
      `${head}\n21:26 ("color" = "r") AND ("title" = "x")`,
    );
    // The array form is ANDed with the restriction as one more element: no shift.
    expect(echoClientFilter(`${head}\n21:26 ("color" = "r") AND ("title" = "x") AND ${restriction}`, ['color = r', 'title = x'])).toBe(
      `${head}\n21:26 ("color" = "r") AND ("title" = "x")`,
    );
    // Nothing to map: left as the node wrote it.
    expect(echoClientFilter(head, 'title = x')).toBe(head);
    expect(echoClientFilter(`${head}\n1:6 title = x`, 'title = x')).toBe(`${head}\n1:6 title = x`);
    expect(echoClientFilter(`${head}\n3:8 ("other" = "x")`, 'title = x')).toBe(`${head}\n3:8 ("other" = "x")`);
  });

  it('removes reserved names from every list wording a node uses, leaving the rest of the message as the node wrote it', () => {
    fc.assert(
      fc.property(visibleLists, fc.nat(), notFilterable, (visible, at, bad) => {
        const withShard = [...visible];
        withShard.splice(at % (visible.length + 1), 0, SHARD);
        const badFilter = `${SHARD} = 2 OR ${bad} = 1`;
        expect(hideReservedAttributeNames(filterMessage(badFilter, withShard))).toBe(filterMessage(badFilter, visible));
        expect(hideReservedAttributeNames(facetsNotFilterableMessage([bad], withShard))).toBe(facetsNotFilterableMessage([bad], visible));
        expect(hideReservedAttributeNames(facetsNotFilterableMessage([bad, 'zz'], withShard))).toBe(facetsNotFilterableMessage([bad, 'zz'], visible));
        expect(hideReservedAttributeNames(distinctNotFilterableMessage(bad, withShard))).toBe(distinctNotFilterableMessage(bad, visible));
        // Messages without an attribute list are left alone, even when they quote a reserved name.
        const sortMessage = `Attribute \`${SHARD}\` is not sortable. Available sortable attributes are: \`${visible.join(', ')}\`.`;
        expect(hideReservedAttributeNames(sortMessage)).toBe(sortMessage);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the attribute a message is about and the filter echoed on its second line', () => {
    const msg = filterMessage(`${SHARD} = 1`, [SHARD + 'x', 'genre']);
    expect(hideReservedAttributeNames(msg)).toBe(
      'Attribute `_miroir_shard` is not filterable. Available filterable attribute patterns are: `genre`.\n1:14 _miroir_shard = 1',
    );
    const unrelated = 'The provided API key is invalid.';
    expect(hideReservedAttributeNames(unrelated)).toBe(unrelated);
  });
});
