export * from './topology.repository';
export * from './index.repository';
export * from './shard-migration.repository';
export * from './task.repository';
export * from './cdc.repository';
