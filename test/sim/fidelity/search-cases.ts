// Search requests sent unchanged to both nodes (POST /indexes/movies/search). A case may carry
// `known`: a pointer to the entry of docs/meili-sim.md explaining why the dev node's answer is
// allowed to differ, in which case the suite checks only what that entry still promises.

export interface SearchCase {
  name: string;
  body: Record<string, unknown>;
  /** Index to search (default `movies`). */
  index?: string;
  /** Why the answers may differ: the heading of the entry in docs/meili-sim.md. */
  known?: string;
  /** Compare error messages (default true). */
  messages?: boolean;
  /** Keys not compared, each justified by a docs/meili-sim.md entry. */
  ignore?: string[];
}

const S = (name: string, body: Record<string, unknown>, extra: Partial<SearchCase> = {}): SearchCase => ({ name, body, ...extra });
const scored = { showRankingScore: true, limit: 30 };

export const SEARCH_CASES: SearchCase[] = [
  // ---- q ----
  S('placeholder', { limit: 40 }),
  S('placeholder with score', { ...scored }),
  S('exact word', { q: 'dragon', ...scored }),
  S('two words', { q: 'dragon knight', ...scored }),
  S('three words', { q: 'golden castle wizard', ...scored }),
  S('one typo', { q: 'dragin', ...scored }),
  S('two typos on a long word', { q: 'adventrue', ...scored }),
  S('typo on a short word is not tolerated', { q: 'kimg', ...scored }),
  S('typo disabled on word', { q: 'robor', ...scored }),
  S('prefix', { q: 'drag', ...scored }),
  S('prefix with several expansions', { q: 'star', ...scored }),
  // docs/meili-sim.md, "Exactness with a half-typed last word".
  S('prefix is only the last word', { q: 'star knig', ...scored }, { known: 'Exactness with a half-typed last word' }),
  S('prefix is only the last word, complete', { q: 'star knight', ...scored }),
  S('trailing space disables prefix', { q: 'star ', ...scored }),
  S('synonym one way', { q: 'spaceship', ...scored }),
  S('synonym back', { q: 'spacecraft', ...scored }),
  S('synonym word', { q: 'phone', ...scored }),
  S('phrase', { q: '"lord of the rings"', ...scored }),
  S('phrase and word', { q: '"golden castle" wizard', ...scored }),
  S('negative word', { q: 'dragon -knight', ...scored }),
  S('negative phrase', { q: 'lord -"of war"', ...scored }),
  S('stop words only', { q: 'the of', ...scored }),
  S('stop word inside query', { q: 'lord of war', ...scored }),
  S('case and accents', { q: 'CHLOE', ...scored }),
  S('unknown word', { q: 'zzzzqqq', ...scored }),
  S('long query (over ten words)', { q: 'dragon knight galaxy summer winter kingdom forest shadow ocean journey legend secret', ...scored }),
  S('nested searchable field', { q: 'jackson', ...scored }),
  // ---- matching strategy / search on / threshold ----
  S('matchingStrategy last', { q: 'dragon galaxy pirate', matchingStrategy: 'last', ...scored }),
  S('matchingStrategy all', { q: 'dragon galaxy pirate', matchingStrategy: 'all', ...scored }),
  S('matchingStrategy frequency', { q: 'dragon galaxy pirate', matchingStrategy: 'frequency', ...scored }),
  S('attributesToSearchOn', { q: 'dragon', attributesToSearchOn: ['title'], ...scored }),
  S('attributesToSearchOn nested', { q: 'ana', attributesToSearchOn: ['director.name'], ...scored }),
  // docs/meili-sim.md, "Totals under rankingScoreThreshold".
  S('rankingScoreThreshold', { q: 'dragon knight', rankingScoreThreshold: 0.8, ...scored }, { ignore: ['estimatedTotalHits'] }),
  S('rankingScoreThreshold placeholder', { rankingScoreThreshold: 0.5, limit: 5 }),
  S('showRankingScoreDetails', { q: 'dragon knight', showRankingScoreDetails: true, limit: 5 }),
  // ---- filters ----
  S('filter =', { filter: 'genres = drama', limit: 50 }),
  S('filter = case-insensitive', { filter: 'genres = documentary', limit: 50 }),
  S('filter !=', { filter: 'genres != drama', limit: 50 }),
  S('filter >', { filter: 'year > 2010', limit: 50 }),
  S('filter <= float', { filter: 'rating <= 2.5', limit: 50 }),
  S('filter TO', { filter: 'year 1990 TO 1995', limit: 50 }),
  S('filter IN', { filter: 'director.country IN [Japan, Korea]', limit: 50 }),
  S('filter NOT IN', { filter: 'series NOT IN [alpha, beta, gamma]', limit: 50 }),
  S('filter EXISTS', { filter: 'price EXISTS', limit: 50 }),
  S('filter NOT EXISTS', { filter: 'price NOT EXISTS', limit: 50 }),
  S('filter IS NULL', { filter: 'price IS NULL', limit: 50 }),
  S('filter IS NOT NULL', { filter: 'tags IS NOT NULL', limit: 50 }),
  S('filter IS EMPTY', { filter: 'tags IS EMPTY', limit: 50 }),
  S('filter IS EMPTY on string', { filter: 'subtitle IS EMPTY', limit: 50 }),
  S('filter boolean', { filter: 'available = false', limit: 50 }),
  S('filter AND OR NOT', { filter: '(genres = drama OR genres = comedy) AND NOT available = true AND year >= 1980', limit: 50 }),
  S('filter array form', { filter: [['genres = horror', 'genres = thriller'], 'rating > 5'], limit: 50 }),
  S('filter nested object field', { filter: 'director.country = France', limit: 50 }),
  S('filter quoted value', { filter: 'director.country = "New Zealand"', limit: 50 }),
  S('filter with query', { q: 'dragon', filter: 'year < 2000', ...scored }),
  S('filter _geoRadius', { filter: '_geoRadius(45, 2, 300000)', limit: 50 }),
  S('filter _geoBoundingBox', { filter: '_geoBoundingBox([48, 5], [44, 0])', limit: 50 }),
  // ---- facets ----
  S('facets distribution and stats', { facets: ['genres', 'available', 'year', 'rating', 'director.country'], limit: 0 }),
  S('facets with query and filter', { q: 'star', filter: 'year > 1980', facets: ['genres', 'series', 'price'], limit: 0 }),
  S('facets wildcard', { facets: ['*'], limit: 0 }),
  S('facets on tags (arrays, null, empty)', { facets: ['tags'], limit: 0 }),
  // ---- sort ----
  S('sort one field asc', { sort: ['year:asc'], limit: 50 }),
  S('sort one field desc', { sort: ['rating:desc'], limit: 50 }),
  S('sort multiple', { sort: ['year:desc', 'rating:asc'], limit: 50 }),
  S('sort with missing and null values', { sort: ['price:asc'], filter: 'year > 2015', limit: 100 }),
  S('sort with missing values desc', { sort: ['price:desc'], filter: 'year > 2015', limit: 100 }),
  S('sort strings', { sort: ['title:asc'], limit: 50 }),
  S('sort with query', { q: 'dragon', sort: ['year:asc'], ...scored }),
  S('sort _geoPoint', { sort: ['_geoPoint(45.5, 3.2):asc'], limit: 50 }),
  // ---- paging ----
  S('offset and limit', { q: 'star', offset: 7, limit: 9 }),
  S('offset past the end', { q: 'dragon', offset: 400, limit: 10 }),
  S('placeholder estimatedTotalHits above maxTotalHits', { offset: 495, limit: 20 }),
  S('page and hitsPerPage', { q: 'star', page: 2, hitsPerPage: 7 }),
  S('page only', { page: 3 }),
  S('hitsPerPage 0', { q: 'dragon', hitsPerPage: 0 }),
  S('page beyond maxTotalHits', { page: 60, hitsPerPage: 10 }),
  S('limit 0', { q: 'dragon', limit: 0 }),
  // ---- what is returned ----
  S('attributesToRetrieve', { q: 'dragon', attributesToRetrieve: ['title', 'director.name', 'year'], limit: 10 }),
  S('attributesToRetrieve wildcard', { q: 'dragon', attributesToRetrieve: ['*'], limit: 5 }),
  S('attributesToHighlight', { q: 'dragon knight', attributesToHighlight: ['title', 'overview'], limit: 10 }),
  S('attributesToHighlight custom tags', { q: 'drag', attributesToHighlight: ['*'], highlightPreTag: '[', highlightPostTag: ']', limit: 10 }),
  S('attributesToCrop', { q: 'dragon', attributesToCrop: ['overview'], cropLength: 5, limit: 10 }),
  S('attributesToCrop with marker and per-field length', { q: 'knight', attributesToCrop: ['overview:3', 'title'], cropMarker: '...', limit: 10 }),
  S('showMatchesPosition', { q: 'dragon knight', showMatchesPosition: true, limit: 10 }),
  S('showMatchesPosition with typo', { q: 'dragin', showMatchesPosition: true, attributesToRetrieve: ['id'], limit: 10 }),
  // ---- distinct ----
  S('distinct', { distinct: 'series', limit: 20 }),
  S('distinct with query', { q: 'dragon', distinct: 'series', ...scored }),
  S('distinct with page', { distinct: 'genres', page: 1, hitsPerPage: 5 }),
  S('distinct on an array, second page', { distinct: 'genres', page: 2, hitsPerPage: 3 }),
  S('distinct on an array, estimated total', { distinct: 'tags', limit: 5 }),
  S('distinct with query and page', { q: 'dragon', distinct: 'genres', page: 1, hitsPerPage: 3 }),
  S('_geoDistance only with _geo retrieved', { sort: ['_geoPoint(45.5, 3.2):asc'], attributesToRetrieve: ['id'], limit: 5 }),
  // ---- errors ----
  S('invalid filter syntax', { filter: 'year >' }),
  S('non-filterable attribute', { filter: 'title = dragon' }),
  S('non-sortable attribute', { sort: ['year2:asc'] }),
  S('invalid sort syntax', { sort: ['year:up'] }),
  S('non-facetable facet', { facets: ['title'] }),
  S('distinct not filterable', { distinct: 'title' }),
  S('attributesToSearchOn not searchable', { q: 'x', attributesToSearchOn: ['year'] }),
  S('invalid_search_limit', { limit: -1 }),
  S('invalid_search_offset', { offset: 'a' }),
  S('invalid_search_q', { q: 5 }),
  S('invalid_search_page', { page: true }),
  S('invalid_search_hits_per_page', { hitsPerPage: 'x' }),
  S('invalid_search_attributes_to_retrieve', { attributesToRetrieve: 'title' }),
  S('invalid_search_show_ranking_score', { showRankingScore: 'yes' }),
  S('invalid_search_matching_strategy', { matchingStrategy: 'none' }),
  S('invalid_search_ranking_score_threshold', { rankingScoreThreshold: 2 }),
  S('invalid_search_crop_length', { cropLength: -3 }),
  S('invalid_search_facets', { facets: 'genres' }),
  S('invalid_search_filter type', { filter: 5 }),
  S('unknown search field', { foo: 1 }),
  S('unknown index', { q: 'x' }, { index: 'nope' }),
];
