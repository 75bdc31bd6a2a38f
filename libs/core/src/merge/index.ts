export * from './distinct';
export * from './facets';
export * from './k-way-merge';
export * from './pagination';
export * from './ranking';
export * from './search-merge';
