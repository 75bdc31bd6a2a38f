export * from './names';
export * from './search-attributes';
export * from './client';
