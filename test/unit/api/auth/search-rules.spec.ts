import { parseSearchRules, ruleFor, rulesAuthorize, rulesPatterns, type SearchRules } from '../../../../apps/api/src/auth/search-rules';

const rules = (v: unknown): SearchRules => {
  const r = parseSearchRules(v);
  if (!r) throw new Error('expected rules');
  return r;
};

describe('search rules of a tenant token', () => {
  it('reads the list and the object forms, and refuses anything else', () => {
    expect(rules(['movies', 'books*', 'movies'])).toEqual({ kind: 'set', patterns: ['movies', 'books*'] });
    const map = rules({ movies: { filter: 'user = a', other: 1 }, books: null, films: {}, tv: { filter: null }, one: ['x = 1'] });
    expect(map.kind).toBe('map');
    expect(ruleFor(map, 'movies')).toEqual({ filter: 'user = a' });
    expect(ruleFor(map, 'books')).toBeUndefined();
    expect(ruleFor(map, 'films')).toEqual({});
    expect(ruleFor(map, 'tv')).toEqual({});
    expect(ruleFor(map, 'one')).toEqual({ filter: 'x = 1' });
    for (const bad of [null, 'movies', 5, [1], { movies: 'x' }, { movies: [] }, { movies: ['a', 'b'] }, { movies: 3 }]) {
      expect(parseSearchRules(bad)).toBeUndefined();
    }
    expect(rules([])).toEqual({ kind: 'set', patterns: [] });
    expect(rules({}).kind).toBe('map');
  });

  it('grants an index matched by an exact uid, `*` or a prefix pattern', () => {
    const set = rules(['movies', 'bo*']);
    expect(rulesAuthorize(set, 'movies')).toBe(true);
    expect(rulesAuthorize(set, 'books')).toBe(true);
    expect(rulesAuthorize(set, 'movies2')).toBe(false);
    expect(rulesAuthorize(rules(['*']), 'anything')).toBe(true);
    expect(rulesAuthorize(rules({ 'a*b': null }), 'axb')).toBe(false);
    expect(rulesAuthorize(rules({ movies: null }), 'movies')).toBe(true);
    expect(rulesAuthorize(rules({}), 'movies')).toBe(false);
  });

  it('applies the most specific matching pattern: exact first, then the longest', () => {
    const map = rules({ '*': { filter: 'a = 1' }, 'mo*': { filter: 'b = 1' }, 'mov*': { filter: 'c = 1' }, movies: null });
    expect(ruleFor(map, 'movies')).toBeUndefined(); // the exact pattern's null rule wins
    expect(ruleFor(map, 'movies2')).toEqual({ filter: 'c = 1' });
    expect(ruleFor(map, 'mo')).toEqual({ filter: 'b = 1' });
    expect(ruleFor(map, 'books')).toEqual({ filter: 'a = 1' });
    expect(ruleFor(rules(['movies']), 'movies')).toBeUndefined();
  });

  it('lists its patterns sorted, as Meilisearch does in its refusal', () => {
    expect(rulesPatterns(rules({ zz: null, movies: null, books: null, 'Z*': null }))).toEqual(['Z*', 'books', 'movies', 'zz']);
  });
});
