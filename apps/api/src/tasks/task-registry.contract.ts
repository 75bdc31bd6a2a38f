import type { EntityManager } from 'typeorm';
import type { NodeTaskRef, TaskRecord } from '@miroir/store';

/** Implemented by TaskRegistry (./task-registry.service.ts), exported by TasksModule. */
export interface TaskRegistryContract {
  /** A task caused by node writes: one row, status `enqueued`, inside the caller's transaction. */
  recordNodeTasks(
    tx: EntityManager,
    input: { indexUid: string | null; type: string; nodeTasks: NodeTaskRef[]; details: Record<string, unknown>; customMetadata?: string },
  ): Promise<TaskRecord>;
  /** A task whose status follows a Temporal workflow (index lifecycle, settings, rebalance). */
  createWorkflowTask(input: { indexUid: string | null; type: string; workflowId: string; details: Record<string, unknown> }): Promise<TaskRecord>;
}

/** Meilisearch's summarized task, as a 202 answers it. */
export interface SummarizedTask {
  taskUid: number;
  indexUid: string | null;
  status: 'enqueued';
  type: string;
  enqueuedAt: string;
  /** Echoed when the write sent `customMetadata`, as Meilisearch 1.50 does. */
  customMetadata?: string;
}

export function summarize(task: TaskRecord): SummarizedTask {
  return {
    taskUid: task.uid,
    indexUid: task.indexUid,
    status: 'enqueued',
    type: task.type,
    enqueuedAt: task.enqueuedAt.toISOString(),
    ...(task.customMetadata != null ? { customMetadata: task.customMetadata } : {}),
  };
}
