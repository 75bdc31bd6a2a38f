import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-index task order (docs/architecture.md, "Task order"):
 * - `dispatched_at`: when a workflow-run task's changes were enqueued on every node (a settings
 *   change), or its node calls were done (an index creation, deletion or primary-key change). A
 *   document write waits until every earlier workflow task of its index is dispatched, so nodes,
 *   which run an index's tasks in arrival order, run them in Miroir's order.
 * - `held_outcome`: what a workflow reported for its task (processing, succeeded, failed) while an
 *   earlier task of the same index was still unfinished; shown once that one has finished.
 * - indexes on (index_uid, uid): the previous task of an index, its unfinished tasks, and its
 *   undispatched workflow tasks (checked before every document write); held reports.
 */
export class TaskDispatched1763801300000 implements MigrationInterface {
  name = 'TaskDispatched1763801300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tasks ADD COLUMN dispatched_at timestamptz`);
    await q.query(`ALTER TABLE tasks ADD COLUMN held_outcome jsonb`);
    await q.query(`CREATE INDEX tasks_index_order_idx ON tasks (index_uid, uid)`);
    await q.query(`CREATE INDEX tasks_index_unfinished_idx ON tasks (index_uid, uid) WHERE status IN ('enqueued', 'processing')`);
    await q.query(`CREATE INDEX tasks_held_idx ON tasks (uid) WHERE held_outcome IS NOT NULL AND status IN ('enqueued', 'processing')`);
    await q.query(
      `CREATE INDEX tasks_undispatched_idx ON tasks (index_uid, uid) WHERE status IN ('enqueued', 'processing') AND workflow_id IS NOT NULL AND dispatched_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS tasks_undispatched_idx`);
    await q.query(`DROP INDEX IF EXISTS tasks_held_idx`);
    await q.query(`DROP INDEX IF EXISTS tasks_index_unfinished_idx`);
    await q.query(`DROP INDEX IF EXISTS tasks_index_order_idx`);
    await q.query(`ALTER TABLE tasks DROP COLUMN held_outcome`);
    await q.query(`ALTER TABLE tasks DROP COLUMN dispatched_at`);
  }
}
