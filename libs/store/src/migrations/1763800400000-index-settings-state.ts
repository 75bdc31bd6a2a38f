import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Settings broadcast state per index (docs/settings-and-indexes.md), read by every API pod for the
 * X-Miroir-Settings-Inconsistent header and the write freeze: `in_flight_since` while a settings
 * change is accepted but not yet committed everywhere, `frozen_reason` when a change could not
 * converge on every node (writes refused until a later change converges). Kept beside `indexes`
 * rather than in it so the hot IndexRecord stays small; deleted with its index.
 */
export class IndexSettingsState1763800400000 implements MigrationInterface {
  name = 'IndexSettingsState1763800400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE index_settings_state (
        index_uid text PRIMARY KEY REFERENCES indexes(uid) ON DELETE CASCADE,
        in_flight_since timestamptz NULL,
        frozen_reason text NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS index_settings_state`);
  }
}
