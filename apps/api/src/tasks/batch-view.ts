import { isoDuration, isTerminal } from '@miroir/core';
import type { TaskRecord } from '@miroir/store';
import { nodeTasksOf } from './node-task';
import { batchUidOf } from './task-view';

// A Miroir batch as Meilisearch's GET /batches answers one (field order included). Miroir never
// groups client tasks: each task is processed on its own (its node tasks batched by the nodes),
// so a batch holds one task, except a cancelation's batch, which the tasks it canceled join.

export interface BatchProgressView {
  steps: Array<{ currentStep: string; finished: number; total: number }>;
  percentage: number;
}

export interface BatchView {
  uid: number;
  progress: BatchProgressView | null;
  details: Record<string, unknown>;
  stats: {
    totalNbTasks: number;
    status: Record<string, number>;
    types: Record<string, number>;
    indexUids: Record<string, number>;
  };
  duration: string | null;
  startedAt: string;
  finishedAt: string | null;
  batchStrategy: string;
}

function count(into: Record<string, number>, key: string): void {
  into[key] = (into[key] ?? 0) + 1;
}

/**
 * The details of a batch: its tasks' details together, counts added up, as Meilisearch sums the
 * documents of a batch (a cancelation's batch shows both its own and its canceled tasks' details).
 * A finished batch leaves out what is null (`originalFilter` of a delete by id, `primaryKey` of an
 * index created without one), as Meilisearch does; a running one shows it (`indexedDocuments: null`).
 */
function mergedDetails(tasks: readonly TaskRecord[], finished: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const t of tasks) {
    for (const [k, v] of Object.entries(t.details ?? {})) {
      const prev = out[k];
      if (typeof v === 'number' && typeof prev === 'number') out[k] = prev + v;
      else if (v !== null || !(k in out)) out[k] = v;
    }
  }
  return finished ? Object.fromEntries(Object.entries(out).filter(([, v]) => v !== null)) : out;
}

/** While a batch runs: its tasks and, under them, the node tasks they wait for. */
function progressOf(tasks: readonly TaskRecord[]): BatchProgressView {
  const done = tasks.filter((t) => isTerminal(t.status)).length;
  const nodeTasks = tasks.flatMap(nodeTasksOf);
  const nodeDone = nodeTasks.filter((nt) => nt.status !== undefined && isTerminal(nt.status)).length;
  const steps = [{ currentStep: 'processing tasks', finished: done, total: tasks.length }];
  if (nodeTasks.length > 0) steps.push({ currentStep: 'waiting for node tasks', finished: nodeDone, total: nodeTasks.length });
  const fraction = nodeTasks.length > 0 ? nodeDone / nodeTasks.length : done / tasks.length;
  return { steps, percentage: Math.round(fraction * 100 * 1000) / 1000 };
}

function earliest(dates: ReadonlyArray<Date | null>): Date | null {
  let best: Date | null = null;
  for (const d of dates) if (d && (!best || d < best)) best = d;
  return best;
}

function latest(dates: ReadonlyArray<Date | null>): Date | null {
  let best: Date | null = null;
  for (const d of dates) if (d && (!best || d > best)) best = d;
  return best;
}

/** Batch `uid` from the tasks given (those of other batches are ignored); null when it has none. */
export function batchView(uid: number, candidates: readonly TaskRecord[]): BatchView | null {
  const tasks = candidates.filter((t) => batchUidOf(t) === uid).sort((a, b) => a.uid - b.uid);
  if (tasks.length === 0) return null;
  const status: Record<string, number> = {};
  const types: Record<string, number> = {};
  const indexUids: Record<string, number> = {};
  for (const t of tasks) {
    count(status, t.status);
    count(types, t.type);
    if (t.indexUid !== null) count(indexUids, t.indexUid);
  }
  const finished = tasks.every((t) => isTerminal(t.status));
  const startedAt = earliest(tasks.map((t) => t.startedAt)) ?? earliest(tasks.map((t) => t.enqueuedAt))!;
  const finishedAt = finished ? (latest(tasks.map((t) => t.finishedAt)) ?? startedAt) : null;
  const owner = tasks.find((t) => t.uid === uid) ?? tasks[0]!;
  return {
    uid,
    progress: finished ? null : progressOf(tasks),
    details: mergedDetails(tasks, finished),
    stats: { totalNbTasks: tasks.length, status, types, indexUids },
    duration: finishedAt ? isoDuration(finishedAt.getTime() - startedAt.getTime()) : null,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt?.toISOString() ?? null,
    batchStrategy: `created batch containing only task with id ${owner.uid} of type \`${owner.type}\` that cannot be batched with any other task.`,
  };
}
