import type { DataSource } from 'typeorm';

export interface TaskPruneActivities {
  pruneTasks(input: { ttlSeconds: number; batchSize: number }): Promise<number>;
}

/** Idempotent: deleting already-deleted rows is a no-op, so a retried call is harmless. */
export function createTaskPruneActivities(ds: DataSource): TaskPruneActivities {
  return {
    async pruneTasks({ ttlSeconds, batchSize }) {
      // A SELECT over the DELETE's RETURNING: TypeORM's query() answers a bare DELETE with
      // [rows, count] rather than rows, so count in SQL and read one plain row.
      const [{ n }]: Array<{ n: number }> = await ds.query(
        `WITH doomed AS (
           DELETE FROM tasks WHERE uid IN (
             SELECT uid FROM tasks
              WHERE status IN ('succeeded', 'failed', 'canceled')
                AND finished_at < now() - make_interval(secs => $1)
              ORDER BY uid LIMIT $2)
           RETURNING 1)
         SELECT count(*)::int AS n FROM doomed`,
        [ttlSeconds, batchSize],
      );
      return n;
    },
  };
}
