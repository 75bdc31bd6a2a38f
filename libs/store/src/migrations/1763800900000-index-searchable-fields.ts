import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The field paths each index's documents have used, so searches can name them in
 * `attributesToSearchOn` and never match the reserved `_miroir_shard` (docs/design.md#reserved-attributes). Indexes that
 * exist already get NULL ("not tracked": searched as before); new ones start with an empty list.
 */
export class IndexSearchableFields1763800900000 implements MigrationInterface {
  name = 'IndexSearchableFields1763800900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE indexes ADD COLUMN searchable_fields text[]`);
    await q.query(`ALTER TABLE indexes ALTER COLUMN searchable_fields SET DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE indexes DROP COLUMN searchable_fields`);
  }
}
