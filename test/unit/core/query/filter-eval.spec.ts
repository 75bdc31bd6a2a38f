import { matchesFilter, parseFilter } from '../../../../libs/core/src/query';

function m(filter: string, doc: Record<string, unknown>): boolean {
  const expr = parseFilter(filter);
  if (expr === null) throw new Error('empty filter');
  return matchesFilter(expr, doc);
}

describe('matchesFilter', () => {
  it('= on strings compares the normalised facet form (trim, NFKD, lowercase)', () => {
    expect(m('genre = horror', { genre: 'Horror' })).toBe(true);
    expect(m('genre = "  HORROR "', { genre: 'horror' })).toBe(true);
    expect(m('genre = horror', { genre: 'horrors' })).toBe(false);
    // Accents are decomposed, not removed.
    expect(m('name = "é"', { name: 'É' })).toBe(true);
    expect(m('name = e', { name: 'é' })).toBe(false);
    // Compatibility forms fold: fullwidth A is A.
    expect(m('name = a', { name: 'Ａ' })).toBe(true);
  });

  it('= on numbers compares numerically, strings only as strings', () => {
    expect(m('n = 10', { n: 10 })).toBe(true);
    expect(m('n = 10.0', { n: 10 })).toBe(true);
    expect(m('n = 1e1', { n: 10 })).toBe(true);
    expect(m('n = 10', { n: '10' })).toBe(true);
    expect(m('n = 10.0', { n: '10' })).toBe(false);
    expect(m('n = 11', { n: 10 })).toBe(false);
  });

  it('booleans are the strings "true"/"false"', () => {
    expect(m('b = true', { b: true })).toBe(true);
    expect(m('b = TRUE', { b: true })).toBe(true);
    expect(m('b = true', { b: 'true' })).toBe(true);
    expect(m('b = false', { b: true })).toBe(false);
  });

  it('arrays match when any element matches; nested paths walk arrays of objects', () => {
    expect(m('tags = b', { tags: ['a', 'B'] })).toBe(true);
    expect(m('tags = c', { tags: ['a', 'b'] })).toBe(false);
    expect(m('a.b = 2', { a: [{ b: 1 }, { b: 2 }] })).toBe(true);
    expect(m('a.b = 2', { 'a.b': 2 })).toBe(true);
    expect(m('a.b.c > 5', { a: { b: { c: [1, 9] } } })).toBe(true);
  });

  it('!= and NOT are complements: documents without the field match them', () => {
    expect(m('genre != horror', {})).toBe(true);
    expect(m('genre != horror', { genre: 'comedy' })).toBe(true);
    expect(m('genre != horror', { genre: ['comedy', 'horror'] })).toBe(false);
    expect(m('NOT genre = horror', {})).toBe(true);
    expect(m('genre NOT IN [horror, drama]', {})).toBe(true);
    expect(m('genre NOT IN [horror, drama]', { genre: 'Drama' })).toBe(false);
  });

  it('IN is an OR of equalities', () => {
    expect(m('id IN [1, 2, abc]', { id: 2 })).toBe(true);
    expect(m('id IN [1, 2, abc]', { id: 'ABC' })).toBe(true);
    expect(m('id IN []', { id: 1 })).toBe(false);
  });

  it('range comparisons: numbers numerically, strings in byte order against the raw value', () => {
    expect(m('n > 5', { n: 6 })).toBe(true);
    expect(m('n > 5', { n: 5 })).toBe(false);
    expect(m('n >= 5', { n: 5 })).toBe(true);
    expect(m('n < 5', { n: -1 })).toBe(true);
    expect(m('n <= 5', { n: 5.5 })).toBe(false);
    expect(m('n 1 TO 3', { n: 3 })).toBe(true);
    expect(m('n 3 TO 1', { n: 2 })).toBe(false);
    // A numeric string is a string facet: it is compared as a string, not as a number.
    expect(m('n > 5', { n: '6' })).toBe(true);
    expect(m('n > 5', { n: '10' })).toBe(false);
    expect(m('d > "2020-01-01"', { d: '2021-06-01' })).toBe(true);
    expect(m('d < "2020-01-01"', { d: '2021-06-01' })).toBe(false);
    expect(m('name a TO c', { name: 'Bob' })).toBe(true);
    // The bound is not normalised: stored facets are lower case, "B" < "b".
    expect(m('name > B', { name: 'Bob' })).toBe(true);
    expect(m('name < B', { name: 'alice' })).toBe(false);
  });

  it('EXISTS is true for null, IS NULL only for null, IS EMPTY for "", [] and {}', () => {
    expect(m('a EXISTS', { a: null })).toBe(true);
    expect(m('a EXISTS', { a: [] })).toBe(true);
    expect(m('a EXISTS', { b: 1 })).toBe(false);
    expect(m('a NOT EXISTS', { b: 1 })).toBe(true);
    expect(m('a.b EXISTS', { a: { b: null } })).toBe(true);
    expect(m('a.b EXISTS', { a: null })).toBe(false);
    expect(m('a IS NULL', { a: null })).toBe(true);
    expect(m('a IS NULL', {})).toBe(false);
    expect(m('a IS NULL', { a: 0 })).toBe(false);
    expect(m('a IS NOT NULL', {})).toBe(true);
    expect(m('a IS EMPTY', { a: '' })).toBe(true);
    expect(m('a IS EMPTY', { a: [] })).toBe(true);
    expect(m('a IS EMPTY', { a: {} })).toBe(true);
    expect(m('a IS EMPTY', { a: ' ' })).toBe(false);
    expect(m('a IS EMPTY', { a: null })).toBe(false);
    expect(m('a IS NOT EMPTY', {})).toBe(true);
  });

  it('empty strings are not facet values', () => {
    expect(m('a = ""', { a: '' })).toBe(false);
  });

  it('CONTAINS and STARTS WITH on normalised strings', () => {
    expect(m('title CONTAINS KING', { title: 'The Lion King' })).toBe(true);
    expect(m('title NOT CONTAINS king', { title: 'The Lion King' })).toBe(false);
    expect(m('title STARTS WITH "the l"', { title: 'The Lion King' })).toBe(true);
    expect(m('title STARTS WITH lion', { title: 'The Lion King' })).toBe(false);
  });

  it('AND binds tighter than OR; NOT tighter than AND', () => {
    const doc = { a: 1, b: 2, c: 3 };
    expect(m('a = 9 AND b = 9 OR c = 3', doc)).toBe(true);
    expect(m('a = 9 AND (b = 9 OR c = 3)', doc)).toBe(false);
    expect(m('NOT a = 9 AND b = 2', doc)).toBe(true);
    expect(m('NOT (a = 1 AND b = 9)', doc)).toBe(true);
  });

  it('array form: outer AND, inner OR', () => {
    const expr = parseFilter(['a = 1', ['b = 9', 'c = 3']])!;
    expect(matchesFilter(expr, { a: 1, c: 3 })).toBe(true);
    expect(matchesFilter(expr, { a: 2, c: 3 })).toBe(false);
    expect(matchesFilter(expr, { a: 1, c: 4 })).toBe(false);
  });

  it('geo filters use the _geo point', () => {
    const paris = { _geo: { lat: 48.8566, lng: 2.3522 } };
    expect(m('_geoRadius(48.8566, 2.3522, 10)', paris)).toBe(true);
    // Paris–Versailles is about 17 km.
    expect(m('_geoRadius(48.8049, 2.1204, 20000)', paris)).toBe(true);
    expect(m('_geoRadius(48.8049, 2.1204, 10000)', paris)).toBe(false);
    expect(m('_geoRadius(0, 0, 10)', {})).toBe(false);
    expect(m('_geoBoundingBox([49, 3], [48, 2])', paris)).toBe(true);
    expect(m('_geoBoundingBox([49, 2], [48, 1])', paris)).toBe(false);
    // Wrapping around the antimeridian.
    expect(m('_geoBoundingBox([10, -170], [-10, 170])', { _geo: { lat: 0, lng: 179 } })).toBe(true);
    expect(m('_geoBoundingBox([10, -170], [-10, 170])', { _geo: { lat: 0, lng: 0 } })).toBe(false);
  });
});
