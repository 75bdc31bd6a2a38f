export * from './names';
export * from './search-attributes';
export * from './client';
export * from './ensure-search-attributes';
