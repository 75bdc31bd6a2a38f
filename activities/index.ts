import type { DataSource } from 'typeorm';
import { createTaskPruneActivities } from './task-prune.activities';
import { createStatePruneActivities } from './state-prune.activities';
import { createIndexLifecycleActivities } from './index-lifecycle.activities';
import { WorkerNodeClients } from './node-clients';
import { createSettingsBroadcastActivities } from './settings-broadcast.activities';
import { createSettingsDriftActivities } from './settings-drift.activities';
import { createTaskStatusActivities } from './task-status.activities';
import { createTaskOperationActivities } from './task-operations.activities';
import { createMigrationActivities } from './migration-activities';
import { createAntiEntropyActivities } from './anti-entropy.activities';

export interface ActivityDeps {
  ds: DataSource;
  /** Node clients following the topology in Postgres (index lifecycle, settings). */
  nodes?: WorkerNodeClients;
  /** Config `rebalance` (defaults of the rebalance and shard-migration workflows). */
  rebalance?: { max_concurrent_migrations: number; page_size: number; grace_ms?: number };
}

/** Every activity the worker registers, bound to its dependencies. */
export function createActivities(deps: ActivityDeps) {
  const nodes = deps.nodes ?? new WorkerNodeClients(deps.ds, {});
  return {
    ...createTaskPruneActivities(deps.ds),
    ...createStatePruneActivities(deps.ds),
    ...createTaskStatusActivities(deps.ds),
    ...createTaskOperationActivities(deps.ds, nodes),
    ...createIndexLifecycleActivities(deps.ds, nodes),
    ...createSettingsBroadcastActivities(deps.ds, nodes),
    ...createSettingsDriftActivities(deps.ds, nodes),
    ...createMigrationActivities({ ds: deps.ds, nodes, rebalance: deps.rebalance }),
    ...createAntiEntropyActivities(deps.ds, nodes),
  };
}

export type MiroirActivities = ReturnType<typeof createActivities>;
