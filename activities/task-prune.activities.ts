import type { DataSource } from 'typeorm';

export interface TaskPruneActivities {
  pruneTasks(input: { ttlSeconds: number; batchSize: number }): Promise<number>;
}

/** Idempotent: deleting already-deleted rows is a no-op, so a retried call is harmless. */
export function createTaskPruneActivities(ds: DataSource): TaskPruneActivities {
  return {
    async pruneTasks({ ttlSeconds, batchSize }) {
      const rows: Array<{ uid: string }> = await ds.query(
        `DELETE FROM tasks WHERE uid IN (
           SELECT uid FROM tasks
            WHERE status IN ('succeeded', 'failed', 'canceled')
              AND finished_at < now() - make_interval(secs => $1)
            ORDER BY uid LIMIT $2)
         RETURNING uid`,
        [ttlSeconds, batchSize],
      );
      return rows.length;
    },
  };
}
