// Every activity of the rebalance and shard-migration workflows, bound to their dependencies.
import type { DataSource } from 'typeorm';
import type { WorkerNodeClients } from './node-clients';
import { createMigrationCopyActivities } from './migration-copy.activities';
import { createMigrationRoutingActivities } from './migration-routing.activities';
import { createMigrationVerifyActivities } from './migration-verify.activities';
import { createRebalanceActivities, type RebalanceSettings } from './rebalance-activities';

export interface MigrationDeps {
  ds: DataSource;
  /** Node clients following the topology in Postgres. */
  nodes: WorkerNodeClients;
  /** Config `rebalance`: defaults of the workflows' inputs. */
  rebalance?: { max_concurrent_migrations: number; page_size: number; grace_ms?: number };
}

export function createMigrationActivities(deps: MigrationDeps) {
  const nodes = deps.nodes;
  const settings: RebalanceSettings = {
    maxConcurrentMigrations: deps.rebalance?.max_concurrent_migrations ?? 2,
    pageSize: deps.rebalance?.page_size ?? 1_000,
    graceMs: deps.rebalance?.grace_ms,
  };
  return {
    ...createMigrationCopyActivities(nodes),
    ...createMigrationVerifyActivities(nodes),
    ...createMigrationRoutingActivities(deps.ds),
    ...createRebalanceActivities(deps.ds, nodes, settings),
  };
}

export type MigrationActivities = ReturnType<typeof createMigrationActivities>;
