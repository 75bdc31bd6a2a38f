// The shard_migrations table: the per-index routing overlay API pods apply on top of the topology.
// Every write goes through changeTopology, so it bumps the topology version and NOTIFYs
// `miroir_topology` in the same transaction: pods reload on the notification, and their version
// poll (the fallback) sees the change too.
import type { DataSource, EntityManager } from 'typeorm';
import type { MigrationRoute } from '@miroir/core/assignment/shard-table';
import { ShardMigrationRecord, type ShardMigrationPhase } from '../entities/shard-migration.entity';
import { changeTopology } from './topology.repository';

export interface ShardMigrationKey {
  indexUid: string;
  group: number;
  shard: number;
}

export interface ShardMigrationRow extends ShardMigrationKey {
  fromNodes: string[];
  toNodes: string[];
  phase: ShardMigrationPhase;
  workflowId: string;
}

/** Inserts or replaces the row of one (index, group, shard); returns the row it replaced, if any. */
export async function upsertMigration(ds: DataSource, row: ShardMigrationRow): Promise<{ previous: ShardMigrationRow | undefined; version: number }> {
  const { result, version } = await changeTopology(ds, async (tx) => {
    const previous = await tx.findOne(ShardMigrationRecord, { where: keyWhere(row), lock: { mode: 'pessimistic_write' } });
    await tx.query(
      `INSERT INTO shard_migrations (index_uid, group_id, shard, from_nodes, to_nodes, phase, workflow_id, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (index_uid, group_id, shard) DO UPDATE
         SET from_nodes = EXCLUDED.from_nodes, to_nodes = EXCLUDED.to_nodes, phase = EXCLUDED.phase,
             workflow_id = EXCLUDED.workflow_id, updated_at = now()`,
      [row.indexUid, row.group, row.shard, row.fromNodes, row.toNodes, row.phase, row.workflowId],
    );
    return previous ? toRow(previous) : undefined;
  });
  return { previous: result, version };
}

/** Moves one row to `phase`; false when there is no such row. */
export async function setPhase(ds: DataSource, key: ShardMigrationKey, phase: ShardMigrationPhase): Promise<boolean> {
  const { result } = await changeTopology(ds, async (tx) => {
    const updated: unknown[] = await tx.query(
      `WITH u AS (UPDATE shard_migrations SET phase = $4, updated_at = now()
        WHERE index_uid = $1 AND group_id = $2 AND shard = $3 RETURNING 1) SELECT 1 FROM u`,
      [key.indexUid, key.group, key.shard, phase],
    );
    return updated.length > 0;
  });
  return result;
}

/** Deletes one row (idempotent); true when a row was there. */
export async function deleteMigration(ds: DataSource, key: ShardMigrationKey): Promise<boolean> {
  const { result } = await changeTopology(ds, (tx) => deleteMigrations(tx, [key]));
  return result > 0;
}

/**
 * Deletes these rows (all rows when `keys` is omitted) inside the caller's transaction — which
 * must be a changeTopology one, so the change is versioned and notified. Returns the count deleted.
 */
export async function deleteMigrations(tx: EntityManager, keys?: readonly ShardMigrationKey[]): Promise<number> {
  if (keys === undefined) {
    // Through CTEs: TypeORM answers a bare DELETE … RETURNING with [rows, count], not rows.
    const rows: unknown[] = await tx.query(`WITH d AS (DELETE FROM shard_migrations RETURNING 1) SELECT 1 FROM d`);
    return rows.length;
  }
  let n = 0;
  for (const k of keys) {
    const rows: unknown[] = await tx.query(`WITH d AS (DELETE FROM shard_migrations WHERE index_uid = $1 AND group_id = $2 AND shard = $3 RETURNING 1) SELECT 1 FROM d`, [
      k.indexUid,
      k.group,
      k.shard,
    ]);
    n += rows.length;
  }
  return n;
}

/** Every row, or one index's, ordered by (index, group, shard). */
export async function listMigrations(ds: DataSource | EntityManager, indexUid?: string): Promise<ShardMigrationRow[]> {
  const manager = 'manager' in ds ? ds.manager : ds;
  const rows = await manager.find(ShardMigrationRecord, {
    where: indexUid === undefined ? {} : { indexUid },
    order: { indexUid: 'ASC', group: 'ASC', shard: 'ASC' },
  });
  return rows.map(toRow);
}

/** A row as the routing overlay of @miroir/core's buildShardTable wants it. */
export function toMigrationRoute(row: Pick<ShardMigrationRow, 'group' | 'shard' | 'fromNodes' | 'toNodes' | 'phase'>): MigrationRoute {
  return {
    group: row.group,
    shard: row.shard,
    from: [...row.fromNodes],
    to: [...row.toNodes],
    phase: row.phase === 'dual_write' ? 'dual-write' : 'cut-over',
  };
}

/** Rows grouped by index, as routes: what an API pod overlays on each index's shard table. */
export async function loadMigrationRoutes(ds: DataSource | EntityManager): Promise<Map<string, MigrationRoute[]>> {
  const byIndex = new Map<string, MigrationRoute[]>();
  for (const row of await listMigrations(ds)) {
    const list = byIndex.get(row.indexUid) ?? [];
    list.push(toMigrationRoute(row));
    byIndex.set(row.indexUid, list);
  }
  return byIndex;
}

function keyWhere(k: ShardMigrationKey): { indexUid: string; group: number; shard: number } {
  return { indexUid: k.indexUid, group: k.group, shard: k.shard };
}

function toRow(r: ShardMigrationRecord): ShardMigrationRow {
  return { indexUid: r.indexUid, group: r.group, shard: r.shard, fromNodes: [...r.fromNodes], toNodes: [...r.toNodes], phase: r.phase, workflowId: r.workflowId };
}
