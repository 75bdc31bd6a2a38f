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
}

export function taskView(t: TaskRecord): TaskView {
  return {
    uid: t.uid,
    // Miroir tasks are not batched the way a node batches its own tasks.
    batchUid: null,
    indexUid: t.indexUid,
    status: t.status,
    type: t.type,
    canceledBy: null,
    ...(t.details ? { details: t.details } : {}),
    error: t.error,
    duration: t.startedAt && t.finishedAt ? isoDuration(t.finishedAt.getTime() - t.startedAt.getTime()) : null,
    enqueuedAt: t.enqueuedAt.toISOString(),
    startedAt: t.startedAt?.toISOString() ?? null,
    finishedAt: t.finishedAt?.toISOString() ?? null,
  };
}
