// @miroir/meili: the typed, pooled HTTP client Miroir uses for every call to a Meilisearch node.
export * from './types';
export * from './errors';
export * from './url';
export * from './settings-routes';
export * from './transport';
export * from './wait-task';
export * from './client';
export * from './registry';
