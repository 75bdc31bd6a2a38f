import { createSearchEngine, DEFAULT_SETTINGS } from '../../meili-sim/search';
import type { Doc, IndexSettings, SearchEngine, SearchParams } from '../../meili-sim/search/types';
import { SimError } from '../../meili-sim/errors';

function engineWith(docs: Doc[], overrides: Partial<IndexSettings> = {}): SearchEngine {
  const engine = createSearchEngine({ ...DEFAULT_SETTINGS, ...overrides });
  for (const d of docs) engine.upsert(String(d['id']), d);
  return engine;
}

const ids = (engine: SearchEngine, params: SearchParams): unknown[] => engine.search(params).hits.map((h) => h['id']);

function searchError(engine: SearchEngine, params: SearchParams): SimError {
  try {
    engine.search(params);
  } catch (e) {
    if (e instanceof SimError) return e;
    throw e;
  }
  throw new Error('expected a SimError');
}

describe('meili-sim search engine: ranking rules', () => {
  it('words: documents matching more query words (from the left) rank first', () => {
    const e = engineWith([
      { id: 1, title: 'the quick fox' },
      { id: 2, title: 'quick brown fox' },
      { id: 3, title: 'brown dog' },
    ]);
    expect(ids(e, { q: 'quick brown fox' })).toEqual([2, 1]);
    expect(ids(e, { q: 'quick brown fox', matchingStrategy: 'all' })).toEqual([2]);
    const details = e.search({ q: 'quick brown fox', showRankingScoreDetails: true }).hits[1]!['_rankingScoreDetails'] as Record<string, Record<string, unknown>>;
    expect(details['words']).toEqual({ order: 0, matchingWords: 1, maxMatchingWords: 3, score: 1 / 3 });
  });

  it('typo: exact words beat one typo; short words get no typo; a wrong first letter counts twice', () => {
    const e = engineWith([
      { id: 1, title: 'hallo world' },
      { id: 2, title: 'hello world' },
      { id: 3, title: 'jello world' },
    ]);
    expect(ids(e, { q: 'hello' })).toEqual([2, 1]);
    expect(ids(e, { q: 'cat' })).toEqual([]);
    const e2 = engineWith([{ id: 1, title: 'catt' }, { id: 2, title: 'cat' }]);
    expect(ids(e2, { q: 'cat ' })).toEqual([2]);
    const e3 = engineWith([{ id: 1, title: 'hamburger' }, { id: 2, title: 'jamburger' }, { id: 3, title: 'hamburgre' }]);
    // "hamburgre" is one transposition (1 typo); "jamburger" changes the first letter (2 typos).
    expect(ids(e3, { q: 'hamburger ' })).toEqual([1, 3, 2]);
    const typo = e3.search({ q: 'hamburger ', showRankingScoreDetails: true }).hits.map((h) => (h['_rankingScoreDetails'] as Record<string, Record<string, unknown>>)['typo']);
    expect(typo.map((t) => t!['typoCount'])).toEqual([0, 1, 2]);
    expect(typo[0]).toEqual({ order: 1, typoCount: 0, maxTypoCount: 2, score: 1 });
  });

  it('prefix: the last word matches as a prefix, other words do not', () => {
    const e = engineWith([
      { id: 1, title: 'searching engines' },
      { id: 2, title: 'search engine' },
    ]);
    expect(ids(e, { q: 'sea' })).toEqual([1, 2]);
    // "search" is not the last word: "searching" does not match it, so document 1 lacks the first word.
    expect(ids(e, { q: 'search eng' })).toEqual([2]);
    expect(ids(e, { q: 'sear eng' })).toEqual([]);
    expect(ids(e, { q: 'sea ' })).toEqual([]);
  });

  it('proximity: closer query words rank first', () => {
    const e = engineWith([
      { id: 1, body: 'new and improved york' },
      { id: 2, body: 'new york' },
      { id: 3, body: 'york new' },
    ]);
    expect(ids(e, { q: 'new york' })).toEqual([2, 3, 1]);
  });

  it('attribute: matches in earlier searchable attributes rank first', () => {
    const e = engineWith(
      [
        { id: 1, title: 'other', overview: 'space odyssey' },
        { id: 2, title: 'space odyssey', overview: 'other' },
      ],
      { searchableAttributes: ['title', 'overview'] },
    );
    expect(ids(e, { q: 'space odyssey' })).toEqual([2, 1]);
    const e2 = engineWith([{ id: 1, title: 'a b c d e f g space' }, { id: 2, title: 'space a b' }]);
    expect(ids(e2, { q: 'space' })).toEqual([2, 1]);
  });

  it('exactness: an attribute equal to the query beats one that only contains it', () => {
    const e = engineWith([
      { id: 1, title: 'batman returns' },
      { id: 2, title: 'batman' },
    ]);
    expect(ids(e, { q: 'batman' })).toEqual([2, 1]);
    const d = e.search({ q: 'batman', showRankingScoreDetails: true }).hits.map((h) => (h['_rankingScoreDetails'] as Record<string, Record<string, unknown>>)['exactness']!['matchType']);
    expect(d).toEqual(['exactMatch', 'matchesStart']);
  });

  it('custom ranking rules and sort follow the position of their rule', () => {
    const docs = [
      { id: 1, title: 'phone', price: 30 },
      { id: 2, title: 'phone case', price: 10 },
      { id: 3, title: 'phone', price: 20 },
    ];
    const e = engineWith(docs, { sortableAttributes: ['price'] });
    // Default rules (attributeRank, sort, wordPosition): all three tie up to attributeRank, so sort decides before exactness.
    expect(ids(e, { q: 'phone', sort: ['price:asc'] })).toEqual([2, 3, 1]);
    const exactFirst = engineWith(docs, { sortableAttributes: ['price'], rankingRules: ['words', 'typo', 'proximity', 'attribute', 'exactness', 'sort'] });
    expect(ids(exactFirst, { q: 'phone', sort: ['price:asc'] })).toEqual([3, 1, 2]);
    const sortFirst = engineWith(docs, { sortableAttributes: ['price'], rankingRules: ['sort', 'words', 'typo', 'proximity', 'attribute', 'exactness'] });
    expect(ids(sortFirst, { q: 'phone', sort: ['price:asc'] })).toEqual([2, 3, 1]);
    const custom = engineWith(docs, { rankingRules: ['price:desc', 'words'] });
    expect(ids(custom, { q: 'phone' })).toEqual([1, 3, 2]);
    const details = e.search({ q: 'phone', sort: ['price:asc'], showRankingScoreDetails: true }).hits[0]!['_rankingScoreDetails'] as Record<string, Record<string, unknown>>;
    expect(details['price:asc']).toEqual({ order: 4, value: 10 });
    expect(details['wordPosition']!['order']).toBe(5);
    expect(details['exactness']!['order']).toBe(6);
  });

  it('placeholder search returns documents in internal order, or sorted; score 1', () => {
    const e = engineWith([{ id: 'b', n: 2 }, { id: 'a', n: 1 }, { id: 'c', n: 3 }], { sortableAttributes: ['n'] });
    expect(ids(e, {})).toEqual(['b', 'a', 'c']);
    expect(ids(e, { q: '', sort: ['n:desc'] })).toEqual(['c', 'b', 'a']);
    expect(e.search({ showRankingScore: true }).hits[0]!['_rankingScore']).toBe(1);
  });
});

describe('meili-sim search engine: text features', () => {
  it('synonyms: one-way and multi-way', () => {
    const e = engineWith([{ id: 1, t: 'automobile' }, { id: 2, t: 'car' }, { id: 3, t: 'vehicle' }], {
      synonyms: { car: ['automobile'], automobile: ['car'], vehicle: ['car'] },
    });
    expect(ids(e, { q: 'car ' })).toEqual([2, 1]);
    expect(ids(e, { q: 'automobile ' })).toEqual([1, 2]);
    expect(ids(e, { q: 'vehicle ' })).toEqual([3, 2]);
    expect(ids(e, { q: 'car ' }).includes(3)).toBe(false);
  });

  it('stop words are ignored in queries except as the last word; accents and case fold', () => {
    const e = engineWith([{ id: 1, t: 'The Café' }, { id: 2, t: 'a theme' }], { stopWords: ['the'] });
    expect(ids(e, { q: 'the cafe' })).toEqual([1]);
    expect(ids(e, { q: 'CAFÉ' })).toEqual([1]);
    expect(ids(e, { q: 'the' })).toEqual([2]);
  });

  it('phrase search and negative terms', () => {
    const e = engineWith([{ id: 1, t: 'big red apple' }, { id: 2, t: 'red big apple' }, { id: 3, t: 'green apple' }]);
    expect(ids(e, { q: '"big red"' })).toEqual([1]);
    expect(ids(e, { q: 'apple -red' })).toEqual([3]);
  });

  it('highlighting, cropping and matches position', () => {
    const e = engineWith([{ id: 1, title: 'Hello World', body: 'one two three four five six seven eight nine ten hello eleven twelve', n: 7 }]);
    const hit = e.search({
      q: 'hel',
      attributesToHighlight: ['title'],
      attributesToCrop: ['body:4'],
      showMatchesPosition: true,
    }).hits[0]!;
    const formatted = hit['_formatted'] as Record<string, unknown>;
    expect(formatted['title']).toBe('<em>Hel</em>lo World');
    expect(formatted['body']).toBe('…ten hello eleven twelve');
    expect(formatted['n']).toBe('7'); // numbers are strings in `_formatted`
    expect(hit['_matchesPosition']).toEqual({ title: [{ start: 0, length: 3 }], body: [{ start: 49, length: 3 }] });
    const custom = e.search({ q: 'world', attributesToHighlight: ['*'], highlightPreTag: '[', highlightPostTag: ']' }).hits[0]!;
    expect((custom['_formatted'] as Record<string, unknown>)['title']).toBe('Hello [World]');
  });

  it('attributesToRetrieve within displayedAttributes; attributesToSearchOn restricts matching', () => {
    const e = engineWith([{ id: 1, title: 'alpha', secret: 'beta', nested: { a: 'gamma', b: 'delta' } }], { displayedAttributes: ['id', 'title', 'nested.a'] });
    expect(e.search({ q: 'beta' }).hits).toEqual([{ id: 1, title: 'alpha', nested: { a: 'gamma' } }]);
    expect(e.search({ q: 'beta', attributesToRetrieve: ['title', 'secret'] }).hits).toEqual([{ title: 'alpha' }]);
    expect(ids(e, { q: 'beta', attributesToSearchOn: ['title'] })).toEqual([]);
    expect(ids(e, { q: 'gamma', attributesToSearchOn: ['nested'] })).toEqual([1]);
  });
});

describe('meili-sim search engine: filters, facets, distinct, pagination', () => {
  const products = [
    { id: 1, name: 'red shirt', color: 'Red', size: 2, tags: ['a', 'b'], brand: 'x' },
    { id: 2, name: 'blue shirt', color: 'blue', size: 5, tags: ['b'], brand: 'x' },
    { id: 3, name: 'red hat', color: 'red', size: 1, tags: [], brand: 'y' },
    { id: 4, name: 'green shirt', color: 'green', size: 9, brand: 'z', stock: true },
  ];
  const settings: Partial<IndexSettings> = { filterableAttributes: ['color', 'size', 'tags', 'brand', 'stock'], sortableAttributes: ['size'] };

  it('filters in string and array form', () => {
    const e = engineWith(products, settings);
    expect(ids(e, { q: 'shirt', filter: 'size > 2' })).toEqual([2, 4]);
    expect(ids(e, { filter: [['color = red', 'color = green'], 'size < 5'] })).toEqual([1, 3]);
  });

  it('facet distribution over all matching documents, with stats', () => {
    const e = engineWith(products, settings);
    const r = e.search({ q: 'shirt', facets: ['color', 'size', 'tags', 'stock'], limit: 1 });
    expect(r.facetDistribution).toEqual({
      color: { blue: 1, green: 1, Red: 1 },
      size: { '2': 1, '5': 1, '9': 1 },
      tags: { a: 1, b: 2 },
      stock: { true: 1 },
    });
    expect(r.facetStats).toEqual({ size: { min: 2, max: 9 } });
    const all = e.search({ facets: ['*'] });
    expect(all.facetDistribution!['color']).toEqual({ blue: 1, green: 1, Red: 2 });
    const byCount = engineWith(products, { ...settings, faceting: { maxValuesPerFacet: 1, sortFacetValuesBy: { '*': 'count' } } });
    expect(byCount.search({ facets: ['color'] }).facetDistribution).toEqual({ color: { Red: 2 } });
  });

  it('distinct keeps the best document per value', () => {
    const e = engineWith(products, { ...settings, distinctAttribute: 'brand' });
    expect(ids(e, { q: 'shirt' })).toEqual([1, 4]);
    expect(e.search({ q: 'shirt' }).estimatedTotalHits).toBe(2);
    expect(ids(e, { q: 'shirt', distinct: 'color' })).toEqual([1, 2, 4]);
  });

  it('offset/limit and page/hitsPerPage modes', () => {
    const docs = Array.from({ length: 25 }, (_, i) => ({ id: i, t: 'same words' }));
    const e = engineWith(docs, { pagination: { maxTotalHits: 22 } });
    const r = e.search({ q: 'same', offset: 20, limit: 5 });
    expect(r.hits.map((h) => h['id'])).toEqual([20, 21]);
    // maxTotalHits bounds the reachable hits; Meilisearch 1.50 reports the totals uncapped.
    expect(r).toMatchObject({ offset: 20, limit: 5, estimatedTotalHits: 25 });
    expect(r.page).toBeUndefined();
    const p = e.search({ q: 'same', page: 3, hitsPerPage: 10 });
    expect(p.hits.map((h) => h['id'])).toEqual([20, 21]);
    expect(p).toMatchObject({ page: 3, hitsPerPage: 10, totalHits: 25, totalPages: 3 });
    expect(p.offset).toBeUndefined();
    expect(e.search({ q: 'same', hitsPerPage: 4 })).toMatchObject({ page: 1, totalPages: 7 });
  });

  it('rankingScoreThreshold drops low-scored hits', () => {
    const e = engineWith([{ id: 1, t: 'quick brown fox' }, { id: 2, t: 'quick dog' }]);
    const all = e.search({ q: 'quick brown fox', showRankingScore: true });
    expect(all.hits.length).toBe(2);
    const cut = (all.hits[0]!['_rankingScore'] as number) - 0.001;
    const r = e.search({ q: 'quick brown fox', rankingScoreThreshold: cut });
    expect(r.hits.map((h) => h['id'])).toEqual([1]);
    expect(r.estimatedTotalHits).toBe(1);
  });
});

describe('meili-sim search engine: errors', () => {
  const e = engineWith([{ id: 1, a: 1 }], { filterableAttributes: ['a'], sortableAttributes: ['a'] });

  it('uses Meilisearch codes and wording', () => {
    expect(searchError(e, { filter: 'b = 1' })).toMatchObject({ code: 'invalid_search_filter', status: 400 });
    expect(searchError(e, { filter: 'a = ' })).toMatchObject({ code: 'invalid_search_filter' });
    expect(searchError(e, { sort: ['b:asc'] }).message).toBe('Attribute `b` is not sortable. Available sortable attributes are: `a`.');
    expect(searchError(e, { facets: ['b'] }).message).toBe('Invalid facet distribution: Pattern `b` is not filterable. Available filterable attributes patterns are: `a`.');
    const noSortRule = engineWith([], { sortableAttributes: ['a'], rankingRules: ['words'] });
    expect(searchError(noSortRule, { sort: ['a:asc'] })).toMatchObject({ code: 'invalid_search_sort' });
    const restricted = engineWith([], { searchableAttributes: ['title'] });
    expect(searchError(restricted, { q: 'x', attributesToSearchOn: ['body'] }).message).toBe(
      'Attribute `body` is not searchable. Available searchable attributes are: `title`.',
    );
    expect(searchError(e, { distinct: 'zz' })).toMatchObject({ code: 'invalid_search_distinct' });
  });
});

describe('meili-sim search engine: writes', () => {
  it('upsert replaces, remove deletes, freed ids are reused, settings reindex', () => {
    const e = engineWith([{ id: 1, t: 'apple' }, { id: 2, t: 'banana' }, { id: 3, t: 'apple pie' }]);
    e.upsert('1', { id: 1, t: 'cherry' });
    expect(ids(e, { q: 'apple' })).toEqual([3]);
    e.remove('2');
    e.upsert('4', { id: 4, t: 'apple' });
    expect(ids(e, {})).toEqual([1, 4, 3]);
    e.applySettings({ ...DEFAULT_SETTINGS, stopWords: ['pie'] });
    expect(ids(e, { q: 'pie ' })).toEqual([]);
    e.clear();
    expect(e.search({}).estimatedTotalHits).toBe(0);
  });
});
