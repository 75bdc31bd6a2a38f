// Assignment (docs/design.md#shard-assignment): rendezvous hashing, placements and their diff, the shard table.
export * from './assignment/rendezvous';
export * from './assignment/placement';
export * from './assignment/shard-table';
