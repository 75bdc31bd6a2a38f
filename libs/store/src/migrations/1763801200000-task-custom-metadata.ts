import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the task routes of Meilisearch 1.50 need beyond the first task registry (docs/api-compatibility.md,
 * "Tasks and batches"):
 * - `custom_metadata`: the `customMetadata` query parameter of a document write, as JSON text (a
 *   JSON string literal, so a value holding U+0000, which Postgres text refuses, still fits).
 * - `canceled_by`: the taskCancelation task that canceled this one. Set by the cancelation as a claim
 *   before it cancels the node tasks, and cleared again when the task finished some other way.
 * - `task_filter`: for taskCancelation and taskDeletion tasks, the filter they apply (their workflow
 *   reads it, so a lost workflow can be started again from the row alone).
 * - `batch_uid`: Miroir's batches. Each Miroir task is its own batch, numbered like the task, from
 *   the moment it leaves `enqueued`; a task canceled by a taskCancelation joins that task's batch, as
 *   on Meilisearch. Generated, so every writer of `status` keeps it right without knowing about it
 *   (apps/api/src/tasks/task-view.ts applies the same rule to a task refreshed in memory).
 */
export class TaskCustomMetadata1763801200000 implements MigrationInterface {
  name = 'TaskCustomMetadata1763801200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tasks ADD COLUMN custom_metadata text`);
    await q.query(`ALTER TABLE tasks ADD COLUMN canceled_by bigint`);
    await q.query(`ALTER TABLE tasks ADD COLUMN task_filter jsonb`);
    await q.query(
      `ALTER TABLE tasks ADD COLUMN batch_uid bigint GENERATED ALWAYS AS (
         CASE WHEN status = 'canceled' AND canceled_by IS NOT NULL THEN canceled_by
              WHEN status <> 'enqueued' THEN uid END) STORED`,
    );
    await q.query(`CREATE INDEX tasks_batch_uid_idx ON tasks (batch_uid) WHERE batch_uid IS NOT NULL`);
    await q.query(`CREATE INDEX tasks_canceled_by_idx ON tasks (canceled_by) WHERE canceled_by IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS tasks_canceled_by_idx`);
    await q.query(`DROP INDEX IF EXISTS tasks_batch_uid_idx`);
    await q.query(`ALTER TABLE tasks DROP COLUMN batch_uid`);
    await q.query(`ALTER TABLE tasks DROP COLUMN task_filter`);
    await q.query(`ALTER TABLE tasks DROP COLUMN canceled_by`);
    await q.query(`ALTER TABLE tasks DROP COLUMN custom_metadata`);
  }
}
