import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys keep the answer they produced (status and body) so a repeat replays it exactly,
 * and a `pending` state so a concurrent duplicate on another API pod waits instead of writing.
 */
export class IdempotencyReplay1763800300000 implements MigrationInterface {
  name = 'IdempotencyReplay1763800300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE idempotency_keys ADD COLUMN state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done'))`);
    await q.query(`ALTER TABLE idempotency_keys ADD COLUMN status_code int NULL`);
    await q.query(`ALTER TABLE idempotency_keys ADD COLUMN response jsonb NULL`);
    await q.query(`ALTER TABLE sessions ADD COLUMN created_at timestamptz NOT NULL DEFAULT now()`);
    await q.query(`CREATE INDEX sessions_created_at_idx ON sessions (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS sessions_created_at_idx`);
    await q.query(`ALTER TABLE sessions DROP COLUMN created_at`);
    await q.query(`ALTER TABLE idempotency_keys DROP COLUMN response`);
    await q.query(`ALTER TABLE idempotency_keys DROP COLUMN status_code`);
    await q.query(`ALTER TABLE idempotency_keys DROP COLUMN state`);
  }
}
