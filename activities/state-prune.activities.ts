import type { DataSource } from 'typeorm';

export interface StatePruneActivities {
  pruneExpiredIdempotencyKeys(input: { batchSize: number }): Promise<number>;
  pruneExpiredSessions(input: { batchSize: number }): Promise<number>;
  boundSessions(input: { maxSessions: number; batchSize: number }): Promise<number>;
}

/** Deletes in batches through a SELECT over the DELETE (TypeORM answers a bare DELETE with [rows, count]). */
async function deleteBatch(ds: DataSource, sql: string, params: unknown[]): Promise<number> {
  const [{ n }]: Array<{ n: number }> = await ds.query(`WITH doomed AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM doomed`, params);
  return n;
}

/** Idempotent batch deletes keeping the expiring tables bounded (docs/design.md#sessions-tenants-and-idempotency). */
export function createStatePruneActivities(ds: DataSource): StatePruneActivities {
  return {
    pruneExpiredIdempotencyKeys: ({ batchSize }) =>
      deleteBatch(ds, `DELETE FROM idempotency_keys WHERE key IN (SELECT key FROM idempotency_keys WHERE expires_at <= now() LIMIT $1)`, [batchSize]),
    pruneExpiredSessions: ({ batchSize }) =>
      deleteBatch(ds, `DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE expires_at <= now() OR revoked LIMIT $1)`, [batchSize]),
    boundSessions: ({ maxSessions, batchSize }) =>
      deleteBatch(
        ds,
        `DELETE FROM sessions WHERE id IN (
           SELECT id FROM sessions WHERE kind = 'client' ORDER BY created_at DESC OFFSET $1 LIMIT $2)`,
        [maxSessions, batchSize],
      ),
  };
}
