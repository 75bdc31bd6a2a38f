import type { DataSource, EntityManager } from 'typeorm';
import { TaskRecord } from '../entities/task.entity';
import { applyFilter, type TaskListFilter } from './task.repository';

// The SQL of taskCancelation and taskDeletion tasks (POST /tasks/cancel, DELETE /tasks), run by
// their workflows' activities. Each statement is safe to repeat: a retried activity finds the work
// it already did done.

type Db = DataSource | EntityManager;

const DATE_KEYS = ['afterEnqueuedAt', 'beforeEnqueuedAt', 'afterStartedAt', 'beforeStartedAt', 'afterFinishedAt', 'beforeFinishedAt'] as const;

/** A TaskListFilter as JSON (dates as RFC 3339 strings), kept in `tasks.task_filter`. */
export type StoredTaskFilter = Omit<TaskListFilter, (typeof DATE_KEYS)[number]> & Partial<Record<(typeof DATE_KEYS)[number], string>>;

export function storeTaskFilter(f: TaskListFilter): StoredTaskFilter {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined) continue;
    out[k] = v instanceof Date ? v.toISOString() : v;
  }
  return out as StoredTaskFilter;
}

export function loadTaskFilter(s: StoredTaskFilter | Record<string, unknown>): TaskListFilter {
  const out: Record<string, unknown> = { ...s };
  for (const k of DATE_KEYS) if (typeof out[k] === 'string') out[k] = new Date(out[k] as string);
  return out as TaskListFilter;
}

export async function countTasks(db: Db, f: TaskListFilter): Promise<number> {
  return applyFilter(db.getRepository(TaskRecord).createQueryBuilder('t'), f).getCount();
}

/** The uids of `f` as a sub-select, with its positional parameters. */
function matching(db: Db, f: TaskListFilter, extra: string): { sql: string; params: unknown[] } {
  const qb = applyFilter(db.getRepository(TaskRecord).createQueryBuilder('t').select('t.uid', 'uid'), f).andWhere(extra);
  const [sql, params] = qb.getQueryAndParameters();
  return { sql, params };
}

/**
 * Claims the tasks a cancelation will cancel: those of its filter, older than it, still enqueued or
 * processing, that follow node tasks (a workflow-run task is not cancelable, see
 * docs/api-compatibility.md) and that no other cancelation claimed. Returns every task this
 * cancelation holds, so a retry returns the same set (minus those finished meanwhile).
 */
export async function claimCancelationTargets(db: Db, cancelationUid: number, f: TaskListFilter): Promise<TaskRecord[]> {
  const m = matching(
    db,
    { ...f, beforeUid: cancelationUid },
    `t.status IN ('enqueued', 'processing') AND t.workflow_id IS NULL AND t.type NOT IN ('taskCancelation', 'taskDeletion')`,
  );
  const by = m.params.length + 1;
  await db.query(`UPDATE tasks SET canceled_by = $${by} WHERE uid IN (${m.sql}) AND canceled_by IS NULL`, [...m.params, cancelationUid]);
  return db
    .getRepository(TaskRecord)
    .createQueryBuilder('t')
    .where(`t.canceled_by = :by AND t.status IN ('enqueued', 'processing')`, { by: cancelationUid })
    .orderBy('t.uid', 'ASC')
    .getMany();
}

/** How many tasks this cancelation claimed are still running (their node tasks not settled yet). */
export async function runningCancelationTargets(db: Db, cancelationUid: number): Promise<number> {
  const [{ n }]: Array<{ n: number }> = await db.query(
    `SELECT count(*)::int AS n FROM tasks WHERE canceled_by = $1 AND status IN ('enqueued', 'processing')`,
    [cancelationUid],
  );
  return n;
}

/**
 * Ends a cancelation: releases its claim on tasks that finished some other way (their node tasks had
 * run before the cancel reached them) and records how many it canceled in its details.
 */
export async function finishCancelation(db: Db, cancelationUid: number): Promise<number> {
  const [{ n }]: Array<{ n: number }> = await db.query(
    `WITH released AS (
       UPDATE tasks SET canceled_by = NULL WHERE canceled_by = $1 AND status <> 'canceled' RETURNING 1)
     SELECT count(*)::int AS n FROM tasks WHERE canceled_by = $1 AND status = 'canceled'`,
    [cancelationUid],
  );
  return n;
}

/**
 * Deletes up to `limit` finished tasks of a deletion's filter older than it, and adds their number to
 * its `details.deletedTasks` in the same statement, so the count stays exact across retries.
 */
export async function deleteTasksBatch(db: Db, deletionUid: number, f: TaskListFilter, limit: number): Promise<number> {
  const m = matching(db, { ...f, beforeUid: deletionUid }, `t.status IN ('succeeded', 'failed', 'canceled')`);
  const self = m.params.length + 1;
  const max = m.params.length + 2;
  const [{ n }]: Array<{ n: number }> = await db.query(
    `WITH doomed AS (
       DELETE FROM tasks WHERE uid IN (SELECT uid FROM (${m.sql}) s ORDER BY uid LIMIT $${max}) RETURNING 1),
     counted AS (
       UPDATE tasks SET details = jsonb_set(COALESCE(details, '{}'::jsonb), '{deletedTasks}',
                                            to_jsonb(COALESCE((details->>'deletedTasks')::bigint, 0) + (SELECT count(*) FROM doomed)))
        WHERE uid = $${self} RETURNING 1)
     SELECT count(*)::int AS n FROM doomed`,
    [...m.params, deletionUid, limit],
  );
  return n;
}

/** taskCancelation / taskDeletion tasks still enqueued after `olderThanMs`: their workflow may never have started. */
export async function findStalledTaskOperations(db: Db, olderThanMs: number): Promise<TaskRecord[]> {
  return db
    .getRepository(TaskRecord)
    .createQueryBuilder('t')
    .where(`t.status = 'enqueued' AND t.type IN ('taskCancelation', 'taskDeletion')`)
    .andWhere(`t.enqueued_at < now() - make_interval(secs => :secs)`, { secs: olderThanMs / 1000 })
    .orderBy('t.uid', 'ASC')
    .limit(100)
    .getMany();
}

/** Names the workflow a just-inserted operation task follows (its id derives from the task's uid). */
export async function assignTaskWorkflow(db: Db, taskUid: number, workflowId: string): Promise<void> {
  await db.query(`UPDATE tasks SET workflow_id = $2 WHERE uid = $1`, [taskUid, workflowId]);
}
