import fc from 'fast-check';
import {
  assertSortable,
  compareDocsBySort,
  compareSortValues,
  parseSortRules,
  SortParseError,
} from '../../../../libs/core/src/query';

function messageOf(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SortParseError);
    return (e as Error).message;
  }
  throw new Error('expected a SortParseError');
}

describe('parseSortRules', () => {
  it('parses field:asc|desc, splitting on the last colon', () => {
    expect(parseSortRules(['price:asc', 'a:b:desc', 'a.b:desc'])).toEqual([
      { field: 'price', direction: 'asc' },
      { field: 'a:b', direction: 'desc' },
      { field: 'a.b', direction: 'desc' },
    ]);
    expect(parseSortRules(['_geoPoint(42.5, -1):desc'])).toEqual([
      { field: '_geoPoint', direction: 'desc', geoPoint: [42.5, -1] },
    ]);
  });

  it.each([
    ['title', 'Invalid syntax for the sort parameter: expected expression ending by `:asc` or `:desc`, found `title`.'],
    ['truc:deesc', 'Invalid syntax for the sort parameter: expected expression ending by `:asc` or `:desc`, found `truc:deesc`.'],
    ['title:ASC', 'Invalid syntax for the sort parameter: expected expression ending by `:asc` or `:desc`, found `title:ASC`.'],
    ['_geoDistance:asc', "`_geoDistance` is a reserved keyword and thus can't be used as a sort expression."],
    ['_geo:asc', "`_geo` is a reserved keyword and thus can't be used as a sort expression. Use the _geoPoint(latitude, longitude) built-in rule to sort on _geo field coordinates."],
    ['_geoRadius(1,2,3):asc', "`_geoRadius` is a reserved keyword and thus can't be used as a sort expression. Use the _geoPoint(latitude, longitude) built-in rule to sort on _geo field coordinates."],
    ['_geoPoint:asc', 'Invalid syntax for the geo parameter: expected expression formated like `_geoPoint(latitude, longitude)` and ending by `:asc` or `:desc`, found `_geoPoint`.'],
    ['_geoPoint(35, 85, 75):asc', 'Invalid syntax for the geo parameter: expected expression formated like `_geoPoint(latitude, longitude)` and ending by `:asc` or `:desc`, found `_geoPoint(35, 85, 75)`.'],
    ['_geoPoint(200, 200):asc', 'Latitude must be contained between -90 and 90 degrees.'],
    ['_geoPoint(0, -180.000001):desc', 'Longitude must be contained between -180 and 180 degrees.'],
  ])('%s is rejected', (input, message) => {
    expect(messageOf(() => parseSortRules([input]))).toBe(message);
  });
});

describe('assertSortable', () => {
  it('accepts sortable attributes and fields nested under them', () => {
    expect(() => assertSortable(parseSortRules(['price:asc', 'a.b:desc']), ['price', 'a'])).not.toThrow();
  });
  it('rejects with Meilisearch messages', () => {
    expect(messageOf(() => assertSortable(parseSortRules(['title:asc']), ['id']))).toBe(
      'Attribute `title` is not sortable. Available sortable attributes are: `id`.',
    );
    expect(messageOf(() => assertSortable(parseSortRules(['title:asc']), ['z', 'id']))).toBe(
      'Attribute `title` is not sortable. Available sortable attributes are: `id, z`.',
    );
    expect(messageOf(() => assertSortable(parseSortRules(['doggos:desc']), []))).toBe(
      'Attribute `doggos` is not sortable. This index does not have configured sortable attributes.',
    );
  });
});

describe('compareSortValues', () => {
  // Wrapped because Array.prototype.sort moves `undefined` to the end without asking the comparator.
  const sorted = (values: unknown[], direction: 'asc' | 'desc'): unknown[] =>
    values
      .map((v) => ({ v }))
      .sort((a, b) => compareSortValues(a.v, b.v, direction))
      .map((w) => w.v);

  it('numbers first, then strings, then missing values, in both directions', () => {
    const values = ['b', 2, undefined, 'A', 10, null, 'c'];
    expect(sorted(values, 'asc')).toEqual([2, 10, 'A', 'b', 'c', undefined, null]);
    expect(sorted(values, 'desc')).toEqual([10, 2, 'c', 'b', 'A', undefined, null]);
  });

  it('strings compare by normalised form in byte order', () => {
    expect(sorted(['z', 'á', 'B', 'a'], 'asc')).toEqual(['a', 'á', 'B', 'z']);
    expect(compareSortValues('Apple', 'apple', 'asc')).toBe(0);
    // á decomposes to "a" + U+0301, which sorts after "a" and before "b".
    expect(compareSortValues('á', 'b', 'asc')).toBeLessThan(0);
  });

  it('booleans sort as the strings "true"/"false"; "" and objects are missing', () => {
    expect(sorted([true, 'm', false], 'asc')).toEqual([false, 'm', true]);
    expect(compareSortValues('', undefined, 'asc')).toBe(0);
    expect(compareSortValues({ a: 1 }, undefined, 'desc')).toBe(0);
    expect(compareSortValues('x', '', 'desc')).toBeLessThan(0);
  });

  it('arrays sort at their smallest value ascending and largest descending, numbers first', () => {
    expect(compareSortValues([5, 1], 2, 'asc')).toBeLessThan(0);
    expect(compareSortValues([5, 1], 2, 'desc')).toBeLessThan(0);
    expect(compareSortValues(['z', 3], 4, 'asc')).toBeLessThan(0);
    expect(compareSortValues(['z', 'a'], 'b', 'asc')).toBeLessThan(0);
    expect(compareSortValues([], 'b', 'asc')).toBeGreaterThan(0);
  });

  const sortValue = fc.oneof(
    fc.constant(undefined),
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer({ min: -5, max: 5 }),
    fc.string({ maxLength: 4 }),
    fc.constantFrom('a', 'A', 'á', 'b', ' b', '10', '9'),
    fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('a', 'B', 'c')), { maxLength: 3 }),
  );
  const direction = fc.constantFrom<'asc' | 'desc'>('asc', 'desc');

  it('is a total preorder: antisymmetric, transitive, total', () => {
    fc.assert(
      fc.property(sortValue, sortValue, sortValue, direction, (a, b, c, d) => {
        const ab = Math.sign(compareSortValues(a, b, d));
        const ba = Math.sign(compareSortValues(b, a, d));
        expect(ab + ba).toBe(0);
        expect(Math.sign(compareSortValues(a, a, d))).toBe(0);
        const bc = Math.sign(compareSortValues(b, c, d));
        const ac = Math.sign(compareSortValues(a, c, d));
        if (ab <= 0 && bc <= 0) expect(ac).toBeLessThanOrEqual(0);
        if (ab === 0 && bc === 0) expect(ac).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('sorting is deterministic: any input order gives the same key order', () => {
    fc.assert(
      fc.property(fc.array(sortValue, { maxLength: 12 }), direction, (values, d) => {
        const cmp = (a: unknown, b: unknown): number => compareSortValues(a, b, d);
        const sortBy = (xs: unknown[]): unknown[] => xs.map((v) => ({ v })).sort((x, y) => cmp(x.v, y.v)).map((w) => w.v);
        const once = sortBy([...values]);
        const twice = sortBy([...values].reverse());
        for (let i = 0; i < once.length; i++) expect(cmp(once[i], twice[i])).toBe(0);
      }),
    );
  });
});

describe('compareDocsBySort', () => {
  it('applies the rules in order on nested fields', () => {
    const docs = [
      { id: 1, p: { price: 5 }, name: 'b' },
      { id: 2, p: { price: 5 }, name: 'a' },
      { id: 3, name: 'c' },
      { id: 4, p: { price: 1 }, name: 'z' },
    ];
    const rules = parseSortRules(['p.price:asc', 'name:asc']);
    expect([...docs].sort((a, b) => compareDocsBySort(a, b, rules)).map((d) => d.id)).toEqual([4, 2, 1, 3]);
    const desc = parseSortRules(['p.price:desc', 'name:desc']);
    expect([...docs].sort((a, b) => compareDocsBySort(a, b, desc)).map((d) => d.id)).toEqual([1, 2, 4, 3]);
  });

  it('sorts by distance for _geoPoint, documents without _geo last', () => {
    const docs = [
      { id: 'far', _geo: { lat: 10, lng: 10 } },
      { id: 'none' },
      { id: 'near', _geo: { lat: '0.1', lng: '0.1' } },
    ];
    const rules = parseSortRules(['_geoPoint(0, 0):asc']);
    expect([...docs].sort((a, b) => compareDocsBySort(a, b, rules)).map((d) => d.id)).toEqual(['near', 'far', 'none']);
  });
});
