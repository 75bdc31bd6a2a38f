import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { TaskRecord, type NodeTaskRef, type TaskStatus } from '../entities/task.entity';

export interface NewTask {
  indexUid: string | null;
  type: string;
  status: TaskStatus;
  nodeTasks: NodeTaskRef[];
  details: Record<string, unknown> | null;
  error?: Record<string, unknown> | null;
  workflowId?: string | null;
  startedAt?: Date | null;
  finishedAt?: Date | null;
  /** The client's `customMetadata` (document writes). */
  customMetadata?: string | null;
  /** taskCancelation / taskDeletion: the filter they apply. */
  taskFilter?: Record<string, unknown> | null;
}

/** Inserts a task; its uid comes from `miroir_task_uid_seq` and `enqueued_at` from the transaction clock. */
export async function insertTask(manager: DataSource | EntityManager, task: NewTask): Promise<TaskRecord> {
  const rows: Array<{ uid: string; enqueued_at: Date }> = await manager.query(
    `INSERT INTO tasks (index_uid, type, status, node_tasks, details, error, workflow_id, started_at, finished_at, custom_metadata, task_filter)
     VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6::jsonb, $7, $8, $9, $10, $11::jsonb)
     RETURNING uid, enqueued_at`,
    [
      task.indexUid,
      task.type,
      task.status,
      JSON.stringify(task.nodeTasks),
      task.details === null ? null : JSON.stringify(task.details),
      task.error == null ? null : JSON.stringify(task.error),
      task.workflowId ?? null,
      task.startedAt ?? null,
      task.finishedAt ?? null,
      // JSON text, as the entity's transformer reads it back.
      task.customMetadata == null ? null : JSON.stringify(task.customMetadata),
      task.taskFilter == null ? null : JSON.stringify(task.taskFilter),
    ],
  );
  const row = rows[0]!;
  return Object.assign(new TaskRecord(), {
    uid: Number(row.uid),
    indexUid: task.indexUid,
    type: task.type,
    status: task.status,
    nodeTasks: task.nodeTasks,
    details: task.details,
    error: task.error ?? null,
    workflowId: task.workflowId ?? null,
    enqueuedAt: new Date(row.enqueued_at),
    startedAt: task.startedAt ?? null,
    finishedAt: task.finishedAt ?? null,
    customMetadata: task.customMetadata ?? null,
    canceledBy: null,
    taskFilter: task.taskFilter ?? null,
  });
}

export async function findTask(manager: DataSource | EntityManager, uid: number): Promise<TaskRecord | undefined> {
  return (await manager.getRepository(TaskRecord).findOne({ where: { uid } })) ?? undefined;
}

export interface TaskProgress {
  status: TaskStatus;
  nodeTasks: NodeTaskRef[];
  details: Record<string, unknown> | null;
  error: Record<string, unknown> | null;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/**
 * Writes a non-terminal task's new state. The status guard makes terminal tasks immutable even
 * when two pods (or the read path and the reconciler) refresh the same task concurrently; a row
 * another transaction holds (a reconciler batch) is skipped rather than waited for: that
 * transaction is writing the same node truth.
 */
export async function updateTaskProgress(manager: DataSource | EntityManager, uid: number, p: TaskProgress): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `UPDATE tasks SET status = $2, node_tasks = $3::jsonb, details = $4::jsonb, error = $5::jsonb, started_at = $6, finished_at = $7
      WHERE uid = (SELECT uid FROM tasks WHERE uid = $1 AND status IN ('enqueued', 'processing') FOR UPDATE SKIP LOCKED)
      RETURNING uid`,
    [uid, p.status, JSON.stringify(p.nodeTasks), p.details === null ? null : JSON.stringify(p.details), p.error === null ? null : JSON.stringify(p.error), p.startedAt, p.finishedAt],
  );
  // TypeORM answers an UPDATE … RETURNING with [rows, count].
  const returned = Array.isArray(rows[0]) ? (rows[0] as unknown[]) : rows;
  return returned.length > 0;
}

/**
 * Locks up to `limit` non-terminal node-write tasks (oldest first) for the caller's transaction.
 * SKIP LOCKED lets every API pod reconcile at once, each on a different batch.
 */
export async function claimPendingNodeWriteTasks(tx: EntityManager, limit: number): Promise<TaskRecord[]> {
  return tx
    .getRepository(TaskRecord)
    .createQueryBuilder('t')
    .where(`t.status IN ('enqueued', 'processing')`)
    .andWhere('t.workflow_id IS NULL')
    .orderBy('t.uid', 'ASC')
    .limit(limit)
    .setLock('pessimistic_write')
    .setOnLocked('skip_locked')
    .getMany();
}

export interface TaskListFilter {
  uids?: number[];
  batchUids?: number[];
  canceledBy?: number[];
  statuses?: string[];
  types?: string[];
  indexUids?: string[];
  afterEnqueuedAt?: Date;
  beforeEnqueuedAt?: Date;
  afterStartedAt?: Date;
  beforeStartedAt?: Date;
  afterFinishedAt?: Date;
  beforeFinishedAt?: Date;
  /**
   * Restricts to tasks of indexes matching these API-key index patterns (`movies`, `movies*`), so an
   * index-restricted key's `total` and pages count only what it may see; undefined = all.
   */
  visibleIndexPatterns?: readonly string[];
  /** Only tasks enqueued before this one (a taskCancelation or taskDeletion matches older tasks only). */
  beforeUid?: number;
}

export interface TaskPage {
  results: TaskRecord[];
  total: number;
  /** uid of the first task after this page, or null. */
  next: number | null;
}

/** Tasks whose index matches one of the patterns: `uid` exactly, or `prefix*` (LIKE, escaped). */
function visibleTo(qb: SelectQueryBuilder<TaskRecord>, patterns: readonly string[]): void {
  if (patterns.includes('*')) return;
  const clauses: string[] = [];
  const params: Record<string, string> = {};
  patterns.forEach((p, i) => {
    if (p.endsWith('*')) {
      clauses.push(`t.index_uid LIKE :vis${i} ESCAPE '\\'`);
      params[`vis${i}`] = `${p.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    } else {
      clauses.push(`t.index_uid = :vis${i}`);
      params[`vis${i}`] = p;
    }
  });
  qb.andWhere(clauses.length > 0 ? `(${clauses.join(' OR ')})` : 'FALSE', params);
}

/** The WHERE clause of a task filter, on alias `t` (also used by batch, cancelation and deletion queries). */
export function applyFilter(qb: SelectQueryBuilder<TaskRecord>, f: TaskListFilter): SelectQueryBuilder<TaskRecord> {
  qb.where('TRUE');
  // batch_uid is generated from status and canceled_by (migration 1763801200000); canceled_by is
  // also a cancelation's claim on a task still running, so it counts only once the task is canceled.
  if (f.batchUids) qb.andWhere('t.batch_uid IN (:...batchUids)', { batchUids: f.batchUids.length ? f.batchUids : [-1] });
  if (f.canceledBy) qb.andWhere(`t.status = 'canceled' AND t.canceled_by IN (:...canceledBy)`, { canceledBy: f.canceledBy.length ? f.canceledBy : [-1] });
  if (f.beforeUid !== undefined) qb.andWhere('t.uid < :beforeUid', { beforeUid: f.beforeUid });
  if (f.uids) qb.andWhere('t.uid IN (:...uids)', { uids: f.uids.length ? f.uids : [-1] });
  if (f.statuses) qb.andWhere('t.status IN (:...statuses)', { statuses: f.statuses.length ? f.statuses : [''] });
  if (f.types) qb.andWhere('t.type IN (:...types)', { types: f.types.length ? f.types : [''] });
  if (f.indexUids) qb.andWhere('t.index_uid IN (:...indexUids)', { indexUids: f.indexUids.length ? f.indexUids : [''] });
  if (f.visibleIndexPatterns) visibleTo(qb, f.visibleIndexPatterns);
  const bound = (column: string, op: '>' | '<', value: Date | undefined, name: string): void => {
    if (value) qb.andWhere(`t.${column} ${op} :${name}`, { [name]: value });
  };
  bound('enqueued_at', '>', f.afterEnqueuedAt, 'aEnq');
  bound('enqueued_at', '<', f.beforeEnqueuedAt, 'bEnq');
  bound('started_at', '>', f.afterStartedAt, 'aSta');
  bound('started_at', '<', f.beforeStartedAt, 'bSta');
  bound('finished_at', '>', f.afterFinishedAt, 'aFin');
  bound('finished_at', '<', f.beforeFinishedAt, 'bFin');
  return qb;
}

/** Meilisearch's GET /tasks page: newest first unless `reverse`, starting at uid `from`. */
export async function listTasks(
  manager: DataSource | EntityManager,
  f: TaskListFilter,
  page: { limit: number; from?: number; reverse: boolean },
): Promise<TaskPage> {
  const repo = manager.getRepository(TaskRecord);
  const total = await applyFilter(repo.createQueryBuilder('t'), f).getCount();
  const qb = applyFilter(repo.createQueryBuilder('t'), f);
  if (page.from !== undefined) qb.andWhere(page.reverse ? 't.uid >= :from' : 't.uid <= :from', { from: page.from });
  const rows = await qb
    .orderBy('t.uid', page.reverse ? 'ASC' : 'DESC')
    .limit(page.limit + 1)
    .getMany();
  const next = rows.length > page.limit ? rows[page.limit]!.uid : null;
  return { results: rows.slice(0, page.limit), total, next };
}
