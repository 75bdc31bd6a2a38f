import fc from 'fast-check';
import {
  assertFilterable,
  distinctNotFilterableMessage,
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

describe('reserved attributes are invisible in read parameters and node messages (SPEC §7.2)', () => {
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
    // An earlier attribute the client cannot filter on is the one named, as Meilisearch checks in order.
    expect(reservedFilterError(`year > 1 AND ${SHARD} = 3`, ['genre'])?.message).toMatch(/^Attribute `year` is not filterable/);
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

  it('refuses reserved facets with Meilisearch facet wording, naming every facet the client cannot use', () => {
    expect(reservedFacetsError([SHARD], ['genre'])).toBe(
      'Invalid facet distribution, attribute `_miroir_shard` is not filterable. The available filterable attribute is `genre`.',
    );
    expect(reservedFacetsError(['year', SHARD, 'genre', '*'], ['genre', 'lang'])).toBe(
      'Invalid facet distribution, attributes `_miroir_shard, year` are not filterable. The available filterable attributes are `genre, lang`.',
    );
    expect(reservedFacetsError([SHARD], [])).toBe('Invalid facet distribution, this index does not have configured filterable attributes.');
    expect(reservedFacetsError(['genre', '*'], ['genre'])).toBeUndefined();
    expect(reservedFacetsError(undefined, ['genre'])).toBeUndefined();
  });

  it('removes reserved names from every list wording a node uses, leaving the rest of the message as the node wrote it', () => {
    fc.assert(
      fc.property(visibleLists, fc.nat(), notFilterable, (visible, at, bad) => {
        const withShard = [...visible];
        withShard.splice(at % (visible.length + 1), 0, SHARD);
        const badFilter = `${bad} = 1 OR ${SHARD} = 2`;
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
