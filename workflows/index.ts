// Every workflow the worker registers. Deterministic code only: no Node APIs, no I/O.
export * from './task-prune.workflow';
export * from './state-prune.workflow';
