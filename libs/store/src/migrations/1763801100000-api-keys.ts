import { randomUUID } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The default keys Meilisearch 1.50 creates with a new database, in its creation order (its
 * `GET /keys` lists the newest first: search, admin, read-only, chat).
 */
const DEFAULT_KEYS = [
  { name: 'Default Chat API Key', description: 'Use it to chat and search from the frontend', actions: ['chatCompletions', 'search'] },
  {
    name: 'Default Read-Only Admin API Key',
    description: 'Use it to read information across the whole database. Caution! Do not expose this key on a public frontend',
    actions: ['*.get', 'keys.get'],
  },
  {
    name: 'Default Admin API Key',
    description: 'Use it for anything that is not a search operation. Caution! Do not expose it on a public frontend',
    actions: ['*'],
  },
  { name: 'Default Search API Key', description: 'Use it to search from the frontend', actions: ['search'] },
];

/**
 * API keys owned by Miroir (docs/architecture.md, "API keys"), and the cluster's default keys.
 * The defaults are created here because a migration runs exactly once per database, under the
 * migration lock: API pods and workers starting together create them once, with uids that then
 * never change (their values follow from the uid and the client master key).
 */
export class ApiKeys1763801100000 implements MigrationInterface {
  name = 'ApiKeys1763801100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_keys (
        uid uuid PRIMARY KEY,
        name text NULL,
        description text NULL,
        actions text[] NOT NULL,
        indexes text[] NOT NULL,
        expires_at timestamptz NULL,
        expires_at_text text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((expires_at IS NULL) = (expires_at_text IS NULL))
      )`);
    await q.query(`CREATE INDEX api_keys_created_at_idx ON api_keys (created_at, uid)`);
    // One microsecond apart: the list order (newest first) is Meilisearch's, whatever the clock.
    for (const [i, key] of DEFAULT_KEYS.entries()) {
      await q.query(
        `INSERT INTO api_keys (uid, name, description, actions, indexes, created_at, updated_at)
         VALUES ($1, $2, $3, $4, ARRAY['*'], now() + $5 * interval '1 microsecond', now() + $5 * interval '1 microsecond')`,
        [randomUUID(), JSON.stringify(key.name), JSON.stringify(key.description), key.actions, i],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_keys`);
  }
}
