// Every workflow the worker registers. Deterministic code only: no Node APIs, no I/O.
export * from './task-prune.workflow';
export * from './state-prune.workflow';
export * from './index-lifecycle.workflow';
export * from './settings-broadcast.workflow';
export * from './settings-drift.workflow';
export * from './rebalance.workflow';
export * from './shard-migration.workflow';
export * from './anti-entropy.workflow';
export * from './task-cancelation.workflow';
export * from './task-deletion.workflow';
