import { isoDuration } from '@miroir/core';
import type { TaskRecord } from '@miroir/store';

/** A task as Meilisearch's GET /tasks answers it (field order included). */
export interface TaskView {
  uid: number;
  batchUid: number | null;
  indexUid: string | null;
  status: string;
  type: string;
  canceledBy: number | null;
  details?: Record<string, unknown>;
  error: Record<string, unknown> | null;
  duration: string | null;
  enqueuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Only when the write sent `customMetadata`, last as Meilisearch prints it. */
  customMetadata?: string;
}

type BatchFields = Pick<TaskRecord, 'uid' | 'status' | 'canceledBy'>;

/** The cancelation that canceled the task; a cancelation's claim on a task still running is not shown. */
export function canceledByOf(t: BatchFields): number | null {
  return t.status === 'canceled' ? (t.canceledBy ?? null) : null;
}

/**
 * The task's batch: its own uid once it left `enqueued` (each Miroir task is one batch), or the
 * batch of the cancelation that canceled it, as on Meilisearch. The same rule as the generated
 * `tasks.batch_uid` column (migration 1763801200000), applied to a task refreshed in memory.
 */
export function batchUidOf(t: BatchFields): number | null {
  return canceledByOf(t) ?? (t.status === 'enqueued' ? null : t.uid);
}

/** Meilisearch's key order for details Miroir completes in Postgres (jsonb keeps keys in its own order). */
const DETAILS_ORDER: Readonly<Record<string, readonly string[]>> = {
  taskCancelation: ['matchedTasks', 'canceledTasks', 'originalFilter'],
  taskDeletion: ['matchedTasks', 'deletedTasks', 'originalFilter'],
};

function orderedDetails(type: string, details: Record<string, unknown>): Record<string, unknown> {
  const order = DETAILS_ORDER[type];
  if (!order) return details;
  const first = order.filter((k) => k in details).map((k) => [k, details[k]] as const);
  return Object.fromEntries([...first, ...Object.entries(details).filter(([k]) => !order.includes(k))]);
}

export function taskView(t: TaskRecord): TaskView {
  return {
    uid: t.uid,
    batchUid: batchUidOf(t),
    indexUid: t.indexUid,
    status: t.status,
    type: t.type,
    canceledBy: canceledByOf(t),
    ...(t.details ? { details: orderedDetails(t.type, t.details) } : {}),
    error: t.error,
    duration: t.startedAt && t.finishedAt ? isoDuration(t.finishedAt.getTime() - t.startedAt.getTime()) : null,
    enqueuedAt: t.enqueuedAt.toISOString(),
    startedAt: t.startedAt?.toISOString() ?? null,
    finishedAt: t.finishedAt?.toISOString() ?? null,
    ...(t.customMetadata != null ? { customMetadata: t.customMetadata } : {}),
  };
}
