// The routing side of a shard migration: the shard_migrations row API pods overlay on their shard
// tables. Each write bumps the topology version and notifies `miroir_topology` (see the store's
// repository), and every call is idempotent so a retry is harmless.
import type { DataSource } from 'typeorm';
import { deleteMigration, setPhase, upsertMigration, type ShardMigrationRow } from '@miroir/store';

export interface MigrationKeyInput {
  index: string;
  group: number;
  shard: number;
}

export interface BeginMigrationInput extends MigrationKeyInput {
  from: string[];
  to: string[];
  workflowId: string;
}

export interface StoredRoute {
  from: string[];
  to: string[];
  phase: 'dual_write' | 'cut_over';
  workflowId: string;
}

const key = (i: MigrationKeyInput) => ({ indexUid: i.index, group: i.group, shard: i.shard });

export function createMigrationRoutingActivities(ds: DataSource) {
  return {
    /**
     * Dual-write on: writes of the shard go to from ∪ to, reads stay on `from`. Returns the row it
     * replaced (a finished move of an earlier rebalance, or a stale one), so a rollback can restore
     * it and the copies it pointed at can be cleaned. A retry after a lost answer finds its own
     * row and reports no predecessor — the one case where it is lost (a rollback then deletes the
     * row instead of restoring it; the next rebalance plans that shard again).
     */
    async beginMigration(input: BeginMigrationInput): Promise<{ previous: StoredRoute | null; version: number }> {
      const row: ShardMigrationRow = { ...key(input), fromNodes: input.from, toNodes: input.to, phase: 'dual_write', workflowId: input.workflowId };
      const { previous, version } = await upsertMigration(ds, row);
      // Our own row from an earlier attempt of this call is not a predecessor.
      const own = previous && previous.workflowId === input.workflowId && previous.phase === 'dual_write' && same(previous.fromNodes, input.from) && same(previous.toNodes, input.to);
      return { previous: previous && !own ? { from: previous.fromNodes, to: previous.toNodes, phase: previous.phase, workflowId: previous.workflowId } : null, version };
    },

    /** Cut over: reads and writes of the shard go to `to` only. */
    async cutOverMigration(input: MigrationKeyInput): Promise<boolean> {
      return setPhase(ds, key(input), 'cut_over');
    },

    /**
     * Rollback of the routing: puts back the row a migration replaced (when it was a finished move,
     * whose data lives on its `to`), or deletes the row so the base placement routes again.
     */
    async restoreRoute(input: MigrationKeyInput & { previous: StoredRoute | null }): Promise<void> {
      const p = input.previous;
      if (p && p.phase === 'cut_over') {
        await upsertMigration(ds, { ...key(input), fromNodes: p.from, toNodes: p.to, phase: 'cut_over', workflowId: p.workflowId });
      } else {
        await deleteMigration(ds, key(input));
      }
    },
  };
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
