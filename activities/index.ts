import type { DataSource } from 'typeorm';
import { createTaskPruneActivities } from './task-prune.activities';
import { createStatePruneActivities } from './state-prune.activities';

export interface ActivityDeps {
  ds: DataSource;
}

/** Every activity the worker registers, bound to its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createTaskPruneActivities(deps.ds),
    ...createStatePruneActivities(deps.ds),
  };
}

export type MiroirActivities = ReturnType<typeof createActivities>;
