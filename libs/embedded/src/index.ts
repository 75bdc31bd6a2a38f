export * from './ports';
export * from './managed-process';
export * from './stale-processes';
export * from './postgres';
export * from './temporal-server';
export * from './repo-root';
export * from './import-esm';
export * from './meilisearch-binary';
