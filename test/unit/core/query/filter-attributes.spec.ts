import {
  assertFilterable,
  filterAttributes,
  FilterParseError,
  fieldValues,
  isFieldPathUnder,
  parseFilter,
  usesContainsOperator,
} from '../../../../libs/core/src/query';

function messageOf(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FilterParseError);
    return (e as Error).message;
  }
  throw new Error('expected a FilterParseError');
}

describe('filterAttributes / assertFilterable', () => {
  it('lists the attributes a filter reads, once each, in order', () => {
    expect(filterAttributes(parseFilter('b = 1 AND (a EXISTS OR NOT b IN [1]) AND c 1 TO 2 AND _geoRadius(1, 2, 3)')!)).toEqual(['b', 'a', 'c']);
  });

  it('accepts attributes covered by a filterable attribute or pattern', () => {
    const expr = parseFilter('doggos.age > 2 AND genre = x AND title_id = 3 AND color = red')!;
    expect(() => assertFilterable(expr, ['doggos', 'genre', '*_id', 'col*'])).not.toThrow();
    expect(() => assertFilterable(expr, ['*'])).not.toThrow();
  });

  it('rejects with Meilisearch message and the attribute position', () => {
    expect(messageOf(() => assertFilterable(parseFilter('title = "test" AND name = 12')!, ['title', 'b', 'a']))).toBe(
      'Attribute `name` is not filterable. Available filterable attribute patterns are: `a`, `b`, `title`.\n20:24 title = "test" AND name = 12',
    );
    expect(messageOf(() => assertFilterable(parseFilter('dog = "bernese mountain"')!, []))).toBe(
      'Attribute `dog` is not filterable. This index does not have configured filterable attributes.\n1:4 dog = "bernese mountain"',
    );
    expect(messageOf(() => assertFilterable(parseFilter(['title = x', 'many = Glass'])!, ['title']))).toBe(
      'Attribute `many` is not filterable. Available filterable attribute patterns are: `title`.\n1:5 many = Glass',
    );
    // "doggo" does not cover "doggos.age".
    expect(() => assertFilterable(parseFilter('doggos.age > 2')!, ['doggo'])).toThrow(FilterParseError);
  });

  it('geo filters need _geo to be filterable, positioned at the first coordinate', () => {
    expect(messageOf(() => assertFilterable(parseFilter('_geoRadius(-90, 150, 10)')!, ['title']))).toBe(
      'Attribute `_geo` is not filterable. Available filterable attribute patterns are: `title`.\n12:15 _geoRadius(-90, 150, 10)',
    );
    expect(messageOf(() => assertFilterable(parseFilter('_geoBoundingBox([42, 150], [30, 10])')!, ['title']))).toBe(
      'Attribute `_geo` is not filterable. Available filterable attribute patterns are: `title`.\n18:20 _geoBoundingBox([42, 150], [30, 10])',
    );
    expect(() => assertFilterable(parseFilter('_geoRadius(-90, 150, 10)')!, ['_geo'])).not.toThrow();
  });

  it('detects the experimental CONTAINS / STARTS WITH operators', () => {
    expect(usesContainsOperator(parseFilter('a = 1 OR NOT b CONTAINS x')!)).toBe(true);
    expect(usesContainsOperator(parseFilter('a STARTS WITH x')!)).toBe(true);
    expect(usesContainsOperator(parseFilter('a = 1')!)).toBe(false);
  });
});

describe('field paths', () => {
  it('fieldValues follows Meilisearch flattening', () => {
    expect(fieldValues({ a: { b: 1 } }, 'a.b')).toEqual([1]);
    expect(fieldValues({ 'a.b': 1 }, 'a.b')).toEqual([1]);
    expect(fieldValues({ a: [{ b: 1 }, { b: [2, 3] }, { c: 4 }] }, 'a.b')).toEqual([1, 2, 3]);
    expect(fieldValues({ a: { 'b.c': 5 } }, 'a.b.c')).toEqual([5]);
    expect(fieldValues({ a: [[1, 2], 3] }, 'a')).toEqual([1, 2, 3]);
    expect(fieldValues({ a: null }, 'a.b')).toEqual([]);
    expect(fieldValues({ ab: 1 }, 'a.b')).toEqual([]);
    expect(fieldValues({}, 'a')).toEqual([]);
  });

  it('isFieldPathUnder', () => {
    expect(isFieldPathUnder('a', 'a')).toBe(true);
    expect(isFieldPathUnder('a.b', 'a')).toBe(true);
    expect(isFieldPathUnder('ab', 'a')).toBe(false);
    expect(isFieldPathUnder('a', 'a.b')).toBe(false);
  });
});
