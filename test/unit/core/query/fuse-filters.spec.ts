import { fuseFilters } from '../../../../libs/core/src/query';

// Meilisearch's fuse_filters (tenant-token rule AND client filter), checked against Meilisearch 1.50.
describe('fuseFilters', () => {
  it('keeps either side alone when the other is absent', () => {
    expect(fuseFilters(undefined, 'user = a')).toBe('user = a');
    expect(fuseFilters(null, ['user = a'])).toEqual(['user = a']);
    expect(fuseFilters('genre = drama', undefined)).toBe('genre = drama');
    expect(fuseFilters('genre = drama', null)).toBe('genre = drama');
    expect(fuseFilters(undefined, undefined)).toBeUndefined();
    expect(fuseFilters(null, undefined)).toBeNull();
  });

  it('puts the client part first and flattens one level of each array', () => {
    expect(fuseFilters('genre = drama', 'user = a')).toEqual(['genre = drama', 'user = a']);
    expect(fuseFilters([['year > 2010', 'year < 2002']], ['user = a', ['genre = drama', 'genre = horror']])).toEqual([
      ['year > 2010', 'year < 2002'],
      'user = a',
      ['genre = drama', 'genre = horror'],
    ]);
    expect(fuseFilters(['a = 1', 'b = 2'], 'c = 3')).toEqual(['a = 1', 'b = 2', 'c = 3']);
  });

  it('passes values of other types through for the node to refuse, as Meilisearch does', () => {
    expect(fuseFilters('genre = drama', 42)).toEqual(['genre = drama', 42]);
    expect(fuseFilters(undefined, 42)).toBe(42);
    expect(fuseFilters([], 'a = 1')).toEqual(['a = 1']);
  });
});
