import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The task reconciler scans non-terminal node-write tasks every second on every API pod: a partial
 * index keeps that scan proportional to the pending tasks, not to the whole (TTL-bounded) history.
 */
export class TasksPendingIndex1763800750000 implements MigrationInterface {
  name = 'TasksPendingIndex1763800750000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX tasks_pending_node_writes_idx ON tasks (uid) WHERE status IN ('enqueued', 'processing') AND workflow_id IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS tasks_pending_node_writes_idx`);
  }
}
