// Query semantics shared by the API, the dev node and the merge: Meilisearch's filter language,
// sort order, nested field access and the primary-key planner. Pure functions, no I/O.

export * from './field-path';
export * from './filter';
export { compareCodePoints, normalizeFacet, parseFiniteFloat } from './normalize';
export * from './pk-planner';
export * from './search-on';
export * from './sort';
export * from './reserved-attributes';
export { echoClientFilter } from './filter-echo';
export { fuseFilters } from './fuse-filters';
