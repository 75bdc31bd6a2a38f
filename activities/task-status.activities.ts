import type { DataSource, EntityManager } from 'typeorm';
import type { TaskError } from '../workflows/index-lifecycle.contract';

// The Miroir task of a workflow-run operation follows the workflow (SPEC §6): the workflow's
// activities move its row enqueued → processing → succeeded | failed. Terminal rows never change,
// so every update is guarded and a retried activity is a no-op.

type Db = DataSource | EntityManager;

export async function markTaskProcessing(db: Db, taskUid: number | null): Promise<void> {
  if (taskUid === null) return;
  await db.query(`UPDATE tasks SET status = 'processing', started_at = COALESCE(started_at, now()) WHERE uid = $1 AND status = 'enqueued'`, [taskUid]);
}

export async function markTaskSucceeded(db: Db, taskUid: number | null, details?: Record<string, unknown>): Promise<void> {
  if (taskUid === null) return;
  await db.query(
    `UPDATE tasks SET status = 'succeeded', error = NULL, started_at = COALESCE(started_at, now()), finished_at = now(),
            details = CASE WHEN $2::jsonb IS NULL THEN details ELSE COALESCE(details, '{}'::jsonb) || $2::jsonb END
      WHERE uid = $1 AND status IN ('enqueued', 'processing')`,
    [taskUid, details === undefined ? null : JSON.stringify(details)],
  );
}

export async function markTaskFailed(db: Db, taskUid: number | null, error: TaskError, details?: Record<string, unknown>): Promise<void> {
  if (taskUid === null) return;
  await db.query(
    `UPDATE tasks SET status = 'failed', error = $2::jsonb, started_at = COALESCE(started_at, now()), finished_at = now(),
            details = CASE WHEN $3::jsonb IS NULL THEN details ELSE COALESCE(details, '{}'::jsonb) || $3::jsonb END
      WHERE uid = $1 AND status IN ('enqueued', 'processing')`,
    [taskUid, JSON.stringify(error), details === undefined ? null : JSON.stringify(details)],
  );
}

export interface TaskStatusActivities {
  taskProcessing(input: { taskUid: number | null }): Promise<void>;
  taskSucceeded(input: { taskUid: number | null; details?: Record<string, unknown> }): Promise<void>;
  taskFailed(input: { taskUid: number | null; error: TaskError; details?: Record<string, unknown> }): Promise<void>;
}

export function createTaskStatusActivities(ds: DataSource): TaskStatusActivities {
  return {
    taskProcessing: ({ taskUid }) => markTaskProcessing(ds, taskUid),
    taskSucceeded: ({ taskUid, details }) => markTaskSucceeded(ds, taskUid, details),
    taskFailed: ({ taskUid, error, details }) => markTaskFailed(ds, taskUid, error, details),
  };
}
