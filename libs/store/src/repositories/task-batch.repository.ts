import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { TaskRecord } from '../entities/task.entity';
import type { TaskListFilter } from './task.repository';

// Miroir's batches (GET /batches): a batch is the set of tasks sharing `batch_uid`, a column
// generated from each task's status and canceled_by (migration 1763801200000). Batches are not
// stored, so filtering them is a GROUP BY over the tasks, with Meilisearch's rule that a batch
// matches a filter when any of its tasks does (per filter: one task may match `statuses`, another
// `types`). The page's tasks are then loaded and summed up by the API (apps/api/src/tasks/batch-view.ts).

export interface BatchPage {
  /** Batch uids of the page, in page order. */
  uids: number[];
  total: number;
  /** uid of the first batch after this page, or null. */
  next: number | null;
}

const TERMINAL = `('succeeded', 'failed', 'canceled')`;

/** `patterns` as SQL on `t.index_uid` (exact uid or `prefix*`), parameters named `${prefix}N`. */
function patternClause(patterns: readonly string[], prefix: string): { sql: string; params: Record<string, string> } {
  const clauses: string[] = [];
  const params: Record<string, string> = {};
  patterns.forEach((p, i) => {
    if (p.endsWith('*')) {
      clauses.push(`t.index_uid LIKE :${prefix}${i} ESCAPE '\\'`);
      params[`${prefix}${i}`] = `${p.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    } else {
      clauses.push(`t.index_uid = :${prefix}${i}`);
      params[`${prefix}${i}`] = p;
    }
  });
  return { sql: clauses.length > 0 ? `(${clauses.join(' OR ')})` : 'FALSE', params };
}

/** A batch's time range matches when one of its two ends does, as Meilisearch indexes both ends. */
function rangeClause(ends: readonly string[], after: Date | undefined, before: Date | undefined, name: string): { sql: string; params: Record<string, Date> } | null {
  if (!after && !before) return null;
  const params: Record<string, Date> = {};
  const inRange = (end: string): string => {
    const parts: string[] = [];
    if (after) parts.push(`${end} > :${name}After`);
    if (before) parts.push(`${end} < :${name}Before`);
    return `(${parts.join(' AND ')})`;
  };
  if (after) params[`${name}After`] = after;
  if (before) params[`${name}Before`] = before;
  return { sql: `(${ends.map(inRange).join(' OR ')})`, params };
}

function batchQuery(manager: DataSource | EntityManager, f: TaskListFilter): SelectQueryBuilder<TaskRecord> {
  const qb = manager.getRepository(TaskRecord).createQueryBuilder('t').select('t.batch_uid', 'uid').where('t.batch_uid IS NOT NULL').groupBy('t.batch_uid');
  const anyOf = (column: string, values: readonly unknown[] | undefined, name: string): void => {
    if (values) qb.andHaving(`bool_or(${column} IN (:...${name}))`, { [name]: values.length ? values : [null] });
  };
  if (f.batchUids) qb.andWhere('t.batch_uid IN (:...batchUids)', { batchUids: f.batchUids.length ? f.batchUids : [-1] });
  // The batch of a cancelation is the one holding that (succeeded) cancelation task itself.
  if (f.canceledBy) {
    qb.andWhere('t.batch_uid IN (:...canceledBy)', { canceledBy: f.canceledBy.length ? f.canceledBy : [-1] });
    qb.andHaving(`bool_or(t.uid = t.batch_uid AND t.type = 'taskCancelation' AND t.status = 'succeeded')`);
  }
  anyOf('t.uid', f.uids, 'uids');
  anyOf('t.status', f.statuses, 'statuses');
  anyOf('t.type', f.types, 'types');
  anyOf('t.index_uid', f.indexUids, 'indexUids');
  if (f.visibleIndexPatterns && !f.visibleIndexPatterns.includes('*')) {
    // Only batches whose every task with an index is one the key may see, and that have one: the
    // key then sees every index a batch names (stats.indexUids), and no index-less batch, as
    // GET /tasks shows it no index-less task.
    const { sql, params } = patternClause(f.visibleIndexPatterns, 'vis');
    qb.andHaving(`bool_and(t.index_uid IS NULL OR ${sql}) AND count(t.index_uid) > 0`, params);
  }
  const ranges = [
    rangeClause(['min(t.enqueued_at)', 'max(t.enqueued_at)'], f.afterEnqueuedAt, f.beforeEnqueuedAt, 'enq'),
    rangeClause(['min(t.started_at)'], f.afterStartedAt, f.beforeStartedAt, 'sta'),
  ];
  for (const r of ranges) if (r) qb.andHaving(r.sql, r.params);
  const finished = rangeClause(['max(t.finished_at)'], f.afterFinishedAt, f.beforeFinishedAt, 'fin');
  // A batch still processing has no finish time: a finish bound excludes it.
  if (finished) qb.andHaving(`bool_and(t.status IN ${TERMINAL}) AND ${finished.sql}`, finished.params);
  return qb;
}

/** Meilisearch's GET /batches page: newest first unless `reverse`, starting at batch uid `from`. */
export async function listBatchUids(
  manager: DataSource | EntityManager,
  f: TaskListFilter,
  page: { limit: number; from?: number; reverse: boolean },
): Promise<BatchPage> {
  const counted = batchQuery(manager, f);
  const [sql, params] = counted.getQueryAndParameters();
  const [{ n }]: Array<{ n: number }> = await manager.query(`SELECT count(*)::int AS n FROM (${sql}) g`, params);
  const qb = batchQuery(manager, f);
  if (page.from !== undefined) qb.andWhere(page.reverse ? 't.batch_uid >= :from' : 't.batch_uid <= :from', { from: page.from });
  const rows: Array<{ uid: string }> = await qb
    .orderBy('t.batch_uid', page.reverse ? 'ASC' : 'DESC')
    .limit(page.limit + 1)
    .getRawMany();
  const uids = rows.map((r) => Number(r.uid));
  return { uids: uids.slice(0, page.limit), total: n, next: uids.length > page.limit ? uids[page.limit]! : null };
}

/** Every task of these batches, oldest first. */
export async function findBatchTasks(manager: DataSource | EntityManager, batchUids: readonly number[]): Promise<TaskRecord[]> {
  if (batchUids.length === 0) return [];
  return manager.getRepository(TaskRecord).createQueryBuilder('t').where('t.batch_uid IN (:...batchUids)', { batchUids }).orderBy('t.uid', 'ASC').getMany();
}
