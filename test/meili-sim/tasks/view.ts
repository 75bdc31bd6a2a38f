// The task object as GET /tasks returns it.
import type { TaskRecord } from '../model';

export interface TaskView {
  uid: number;
  batchUid: number | null;
  indexUid: string | null;
  status: string;
  type: string;
  canceledBy: number | null;
  details?: Record<string, unknown>;
  error: TaskRecord['error'];
  duration: string | null;
  enqueuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export function taskView(t: TaskRecord): TaskView {
  // Field order as Meilisearch serializes it; `details` is omitted for task types that have none.
  const view: TaskView = {
    uid: t.uid,
    batchUid: t.batchUid,
    indexUid: t.indexUid,
    status: t.status,
    type: t.type,
    canceledBy: t.canceledBy,
    ...(t.details ? { details: t.details } : {}),
    error: t.error,
    duration: t.startedAt && t.finishedAt ? isoDuration(Date.parse(t.finishedAt) - Date.parse(t.startedAt)) : null,
    enqueuedAt: t.enqueuedAt,
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
  };
  return view;
}

/** ISO-8601 duration in seconds, like Meilisearch's "PT0.001192S". */
function isoDuration(ms: number): string {
  return `PT${(Math.max(0, ms) / 1000).toFixed(6).replace(/\.?0+$/, '') || '0'}S`;
}
