import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox as anti-entropy reads it (docs/design.md#workflows): the filter of a delete by filter (to tell which
 * documents it removed), and an index by time (events after a document's `_miroir_updated_at`).
 * `created_at` is now the time the write began, as the API stamps documents.
 */
export class CdcOutboxFilter1763801000000 implements MigrationInterface {
  name = 'CdcOutboxFilter1763801000000';

  async up(q: QueryRunner): Promise<void> {
    // JSON text, not jsonb: jsonb refuses a string holding U+0000, which a filter may contain.
    await q.query(`ALTER TABLE cdc_outbox ADD COLUMN filter text`);
    await q.query(`CREATE INDEX cdc_outbox_index_created_idx ON cdc_outbox (index_uid, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX cdc_outbox_index_created_idx`);
    await q.query(`ALTER TABLE cdc_outbox DROP COLUMN filter`);
  }
}
