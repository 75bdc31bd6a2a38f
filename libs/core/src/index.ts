// @miroir/core: Miroir's routing brain as pure functions — no I/O, no native addon (the hash is
// pure JavaScript), so every module, the barrel included, also loads in Temporal's workflow sandbox.

export * from './hash/xxh64';
export * from './hashing';
export * from './topology';
export * from './assignment';
export * from './routing/document-id';
export * from './routing/validate-documents';
export * from './routing/route-documents';
export * from './routing/field-paths';
export * from './covering';
export * from './quorum';
export * from './reserved';
export * from './shard-plan';
export * from './merge';
export * from './task-status';
export * from './task-order';
export * from './query';
export * from './anti-entropy/reconcile';
