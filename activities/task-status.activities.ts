import type { DataSource, EntityManager } from 'typeorm';
import { reportWorkflowOutcome } from '@miroir/store';
import type { TaskError } from '../workflows/index-lifecycle.contract';

// The Miroir task of a workflow-run operation follows the workflow (docs/design.md#tasks): the workflow's
// activities report it processing, then succeeded | failed. What the task shows also follows the
// order of its index (docs/architecture.md, "Task order"): a report made while an earlier task of
// the index is unfinished is held and shown once that one has finished. Terminal rows never
// change, so a retried activity is a no-op.

type Db = DataSource | EntityManager;

export async function markTaskProcessing(db: Db, taskUid: number | null): Promise<void> {
  if (taskUid === null) return;
  await reportWorkflowOutcome(db, taskUid, { status: 'processing' });
}

export async function markTaskSucceeded(db: Db, taskUid: number | null, details?: Record<string, unknown>): Promise<void> {
  if (taskUid === null) return;
  await reportWorkflowOutcome(db, taskUid, { status: 'succeeded', error: null, ...(details === undefined ? {} : { details }) });
}

export async function markTaskFailed(db: Db, taskUid: number | null, error: TaskError, details?: Record<string, unknown>): Promise<void> {
  if (taskUid === null) return;
  await reportWorkflowOutcome(db, taskUid, { status: 'failed', error: { ...error }, ...(details === undefined ? {} : { details }) });
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
