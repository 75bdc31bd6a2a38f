import { DataSource, type EntityManager } from 'typeorm';
import { inTaskOrder, type ShownTaskState } from '@miroir/core/task-order';
import { isTerminal, type TaskStatus } from '@miroir/core/task-status';
import { TaskRecord } from '../entities/task.entity';

// Per-index task order (docs/architecture.md, "Task order"). Two rules, kept here so every writer of
// a task's status applies them the same way:
//  - a document write reaches the nodes only after every earlier workflow task of its index (a
//    settings change, an index creation, deletion or primary-key change) is dispatched;
//  - a task shows started or finished only once every earlier task of its index has finished, with
//    times that never go backwards (@miroir/core inTaskOrder). A workflow's report that cannot be
//    shown yet is kept in `held_outcome` and shown when the earlier tasks are done.

type Db = DataSource | EntityManager;

const UNFINISHED = `status IN ('enqueued', 'processing')`;

/** A workflow's report on its task (activities/task-status.activities.ts). */
export interface WorkflowOutcome {
  status: Exclude<TaskStatus, 'enqueued'>;
  error?: Record<string, unknown> | null;
  /** Merged into the task's details when shown. */
  details?: Record<string, unknown>;
}

/** What `held_outcome` holds: the report, with the times it happened. */
interface HeldOutcome extends WorkflowOutcome {
  startedAt: string;
  finishedAt: string | null;
}

/** A non-terminal task, locked, with where its index stands. */
export interface OrderedTaskRow {
  uid: number;
  indexUid: string | null;
  workflowId: string | null;
  status: TaskStatus;
  enqueuedAt: Date;
  startedAt: Date | null;
  details: Record<string, unknown> | null;
  heldOutcome: HeldOutcome | null;
  blocked: boolean;
  previousFinishedAt: Date | null;
  now: Date;
}

/** The columns a task's new state writes. */
export interface OrderedTaskWrite {
  status: TaskStatus;
  startedAt: Date | null;
  finishedAt: Date | null;
  error?: Record<string, unknown> | null;
  details?: Record<string, unknown> | null;
  nodeTasks?: unknown[];
  /** Replaces held_outcome (null clears it). */
  heldOutcome: Record<string, unknown> | null;
}

function inTransaction<T>(db: Db, fn: (tx: EntityManager) => Promise<T>): Promise<T> {
  if (db instanceof DataSource) return db.transaction(fn);
  return db.queryRunner?.isTransactionActive ? fn(db) : db.transaction(fn);
}

async function lockInOrder(tx: EntityManager, uid: number): Promise<OrderedTaskRow | undefined> {
  const rows: Array<Record<string, unknown>> = await tx.query(
    `SELECT t.uid, t.index_uid, t.workflow_id, t.status, t.enqueued_at, t.started_at, t.details, t.held_outcome, now() AS now,
            (t.index_uid IS NOT NULL AND EXISTS (
               SELECT 1 FROM tasks e WHERE e.index_uid = t.index_uid AND e.uid < t.uid AND e.${UNFINISHED})) AS blocked,
            (SELECT e.finished_at FROM tasks e WHERE t.index_uid IS NOT NULL AND e.index_uid = t.index_uid AND e.uid < t.uid
              ORDER BY e.uid DESC LIMIT 1) AS previous_finished_at
       FROM tasks t WHERE t.uid = $1 AND t.${UNFINISHED}
        FOR UPDATE OF t SKIP LOCKED`,
    [uid],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    uid: Number(r.uid),
    indexUid: r.index_uid as string | null,
    workflowId: r.workflow_id as string | null,
    status: r.status as TaskStatus,
    enqueuedAt: r.enqueued_at as Date,
    startedAt: r.started_at as Date | null,
    details: r.details as Record<string, unknown> | null,
    heldOutcome: r.held_outcome as HeldOutcome | null,
    blocked: r.blocked === true,
    previousFinishedAt: r.previous_finished_at as Date | null,
    now: r.now as Date,
  };
}

/**
 * Locks a non-terminal task (skipped if another transaction holds it: that one is writing the same
 * truth), lets `decide` compute its new state from where its index stands, and writes it. Returns
 * what was written, or null (task terminal, locked elsewhere, or nothing to change).
 */
export function writeInTaskOrder(db: Db, uid: number, decide: (row: OrderedTaskRow) => OrderedTaskWrite | null): Promise<OrderedTaskWrite | null> {
  return inTransaction(db, async (tx) => {
    const row = await lockInOrder(tx, uid);
    if (!row) return null;
    const next = decide(row);
    if (!next) return null;
    await tx.query(
      `UPDATE tasks SET status = $2, started_at = $3, finished_at = $4, held_outcome = $5::jsonb,
              error = CASE WHEN $6 THEN $7::jsonb ELSE error END,
              details = CASE WHEN $8 THEN $9::jsonb ELSE details END,
              node_tasks = CASE WHEN $10 THEN $11::jsonb ELSE node_tasks END
        WHERE uid = $1`,
      [
        uid,
        next.status,
        next.startedAt,
        next.finishedAt,
        next.heldOutcome === null ? null : JSON.stringify(next.heldOutcome),
        next.error !== undefined,
        next.error == null ? null : JSON.stringify(next.error),
        next.details !== undefined,
        next.details == null ? null : JSON.stringify(next.details),
        next.nodeTasks !== undefined,
        JSON.stringify(next.nodeTasks ?? []),
      ],
    );
    return next;
  });
}

/** The state a workflow task shows from its held report, or null while it has none to show. */
function shownFromHeld(row: OrderedTaskRow): OrderedTaskWrite | null {
  const held = row.heldOutcome;
  if (!held) return null;
  const actual = { status: held.status, startedAt: new Date(held.startedAt), finishedAt: held.finishedAt ? new Date(held.finishedAt) : null };
  const shown: ShownTaskState = inTaskOrder(actual, { ...row, shownStartedAt: row.startedAt });
  if (shown.held) return null;
  // Shown now: the row carries it, so the held copy goes (a later report starts from started_at).
  if (!isTerminal(shown.status)) return { status: shown.status, startedAt: shown.startedAt, finishedAt: null, heldOutcome: null };
  return {
    status: shown.status,
    startedAt: shown.startedAt,
    finishedAt: shown.finishedAt,
    heldOutcome: null,
    error: held.error ?? null,
    details: held.details && Object.keys(held.details).length > 0 ? { ...(row.details ?? {}), ...held.details } : row.details,
  };
}

/**
 * A workflow's report on its task: kept as the task's held outcome, then shown as far as the order
 * allows (with any later held reports of the same index it unblocks). A finished report also marks
 * the task dispatched. Terminal tasks never change, so a retried activity is a no-op.
 */
export async function reportWorkflowOutcome(db: Db, uid: number, outcome: WorkflowOutcome): Promise<void> {
  const terminal = isTerminal(outcome.status);
  const rows: Array<{ index_uid: string | null }> = await db.query(
    // A finished report is never replaced by a late retry of an earlier one.
    `UPDATE tasks SET
       held_outcome = CASE WHEN held_outcome->>'status' IN ('succeeded', 'failed', 'canceled') THEN held_outcome ELSE jsonb_build_object(
         'status', $2::text, 'error', $3::jsonb,
         'details', COALESCE(held_outcome->'details', '{}'::jsonb) || COALESCE($4::jsonb, '{}'::jsonb),
         'startedAt', COALESCE(held_outcome->>'startedAt', to_char(COALESCE(started_at, now()) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')),
         'finishedAt', CASE WHEN $5 THEN to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') END) END,
       dispatched_at = CASE WHEN $5 THEN COALESCE(dispatched_at, now()) ELSE dispatched_at END
     WHERE uid = $1 AND ${UNFINISHED}
     RETURNING index_uid`,
    [uid, outcome.status, outcome.error == null ? null : JSON.stringify(outcome.error), outcome.details === undefined ? null : JSON.stringify(outcome.details), terminal],
  );
  // TypeORM answers an UPDATE … RETURNING with [rows, count].
  const returned = (Array.isArray(rows[0]) ? rows[0] : rows) as Array<{ index_uid: string | null }>;
  if (returned.length === 0) return;
  const indexUid = returned[0]!.index_uid;
  if (indexUid === null) await showHeldOutcome(db, uid);
  else await showHeldOutcomes(db, indexUid);
}

/** Shows a workflow task's held report if the order allows it now; returns what was written. */
export function showHeldOutcome(db: Db, uid: number): Promise<OrderedTaskWrite | null> {
  return writeInTaskOrder(db, uid, shownFromHeld);
}

/**
 * Shows the held reports of an index's unfinished tasks, oldest first, as far as the order allows:
 * stops at the first task that cannot finish yet (a node write still running, a workflow that has
 * not reported). Called after a task of the index finished.
 */
export async function showHeldOutcomes(db: Db, indexUid: string, limit = 100): Promise<void> {
  const rows: Array<{ uid: string; held: boolean }> = await db.query(
    `SELECT uid, held_outcome IS NOT NULL AS held FROM tasks WHERE index_uid = $1 AND ${UNFINISHED} ORDER BY uid LIMIT $2`,
    [indexUid, limit],
  );
  for (const r of rows) {
    if (!r.held) return;
    const shown = await showHeldOutcome(db, Number(r.uid));
    if (!shown || !isTerminal(shown.status)) return;
  }
}

/** Indexes that have a held report waiting (the reconciler shows them once their turn came). */
export async function indexesWithHeldOutcomes(db: Db, limit: number): Promise<string[]> {
  const rows: Array<{ index_uid: string }> = await db.query(
    `SELECT DISTINCT index_uid FROM (SELECT index_uid FROM tasks WHERE held_outcome IS NOT NULL AND ${UNFINISHED} AND index_uid IS NOT NULL ORDER BY uid LIMIT $1) h`,
    [limit],
  );
  return rows.map((r) => r.index_uid);
}

/**
 * The unfinished tasks of these indexes enqueued before `beforeUid` (at most `limit`, oldest
 * first): what must be brought up to date before a later task of the same index can finish.
 */
export async function unfinishedTasksBefore(db: Db, indexUids: readonly string[], beforeUid: number, limit = 200): Promise<TaskRecord[]> {
  if (indexUids.length === 0) return [];
  return db
    .getRepository(TaskRecord)
    .createQueryBuilder('t')
    .where(`t.index_uid IN (:...indexUids) AND t.uid < :beforeUid AND t.${UNFINISHED}`, { indexUids: [...indexUids], beforeUid })
    .orderBy('t.uid', 'ASC')
    .limit(limit)
    .getMany();
}

/** Marks a workflow task dispatched: its node calls are enqueued (settings) or done. Idempotent. */
export async function markTaskDispatched(db: Db, uid: number): Promise<void> {
  await db.query(`UPDATE tasks SET dispatched_at = COALESCE(dispatched_at, now()) WHERE uid = $1`, [uid]);
}

/**
 * Workflow tasks of the index not dispatched yet — only those enqueued before `beforeUid` when
 * given, and only up to `upTo` (so a wait that started is not prolonged by later tasks) — and the
 * index row's last update (to tell whether a cached copy is stale), in one round trip.
 */
export async function undispatchedIndexTasks(
  db: Db,
  indexUid: string,
  bounds: { beforeUid?: number; upTo?: number } = {},
): Promise<{ uids: number[]; indexUpdatedAt: Date | null }> {
  const rows: Array<{ uids: string[]; updated_at: Date | null }> = await db.query(
    `SELECT ARRAY(SELECT uid FROM tasks WHERE index_uid = $1 AND ${UNFINISHED} AND workflow_id IS NOT NULL AND dispatched_at IS NULL
                    AND ($2::bigint IS NULL OR uid < $2) AND ($3::bigint IS NULL OR uid <= $3) ORDER BY uid) AS uids,
            (SELECT updated_at FROM indexes WHERE uid = $1) AS updated_at`,
    [indexUid, bounds.beforeUid ?? null, bounds.upTo ?? null],
  );
  const row = rows[0]!;
  return { uids: (row.uids ?? []).map(Number), indexUpdatedAt: row.updated_at };
}

/**
 * Workflow tasks of an index still enqueued `olderThanMs` after they were accepted, never reported
 * nor dispatched: an API pod may have died between recording one and starting (or signalling) its
 * workflow, and every later task of the index waits for it. The API starts them again.
 */
export async function stalledIndexWorkflowTasks(db: Db, types: readonly string[], olderThanMs: number, limit = 50): Promise<TaskRecord[]> {
  return db
    .getRepository(TaskRecord)
    .createQueryBuilder('t')
    .where(`t.status = 'enqueued' AND t.workflow_id IS NOT NULL AND t.index_uid IS NOT NULL AND t.dispatched_at IS NULL AND t.held_outcome IS NULL`)
    .andWhere('t.type IN (:...types)', { types: [...types] })
    .andWhere(`t.enqueued_at < now() - make_interval(secs => :secs)`, { secs: olderThanMs / 1000 })
    .orderBy('t.uid', 'ASC')
    .limit(limit)
    .getMany();
}
