import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The routing overlay of shard migrations in flight (docs/design.md#workflows, issue 6). */
export class ShardMigrations1763800600000 implements MigrationInterface {
  name = 'ShardMigrations1763800600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE shard_migrations (
        index_uid text NOT NULL,
        group_id int NOT NULL CHECK (group_id >= 0),
        shard int NOT NULL CHECK (shard >= 0),
        from_nodes text[] NOT NULL,
        to_nodes text[] NOT NULL,
        phase text NOT NULL CHECK (phase IN ('dual_write', 'cut_over')),
        workflow_id text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (index_uid, group_id, shard)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS shard_migrations`);
  }
}
