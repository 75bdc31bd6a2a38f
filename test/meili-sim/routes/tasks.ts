// GET /tasks (filters uids, batchUids, canceledBy, statuses, types, indexUids, date bounds; limit,
// from, reverse), GET /tasks/{uid}, POST /tasks/cancel and GET /tasks/{uid}/documents.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../auth';
import { errors } from '../error-catalog';
import { SimError } from '../errors';
import { TASK_STATUSES, type TaskRecord } from '../model';
import { checkQueryKeys, guard, qstr, query, type Ctx, type Query } from '../http/request';
import { taskView } from '../tasks/view';

const FILTER_KEYS = [
  'uids',
  'batchUids',
  'canceledBy',
  'types',
  'statuses',
  'indexUids',
  'afterEnqueuedAt',
  'beforeEnqueuedAt',
  'afterStartedAt',
  'beforeStartedAt',
  'afterFinishedAt',
  'beforeFinishedAt',
];
export const TASK_QUERY_KEYS = ['limit', 'from', 'reverse', 'batchUids', 'uids', ...FILTER_KEYS.slice(2)];

/** Meilisearch 1.50's task types, in the order its `invalid_task_types` message lists them. */
const FILTER_TYPES = [
  'documentAdditionOrUpdate',
  'documentEdition',
  'documentDeletion',
  'settingsUpdate',
  'indexCreation',
  'indexDeletion',
  'indexUpdate',
  'indexSwap',
  'taskCancelation',
  'taskDeletion',
  'dumpCreation',
  'snapshotCreation',
  'export',
  'upgradeDatabase',
  'indexCompaction',
  'networkTopologyChange',
  'dsrUpdate',
  'dsrClear',
];

/** Meilisearch's task and batch uids, limits and offsets are u32. */
const U32_MAX = 4_294_967_295;

/**
 * A comma-separated list, empty items skipped, every item checked (its error names it `name[i]`
 * when the list has several); `*` among them means no filter.
 */
function list<T>(q: Query, name: string, item: (raw: string, label: string) => T): T[] | null {
  const raw = qstr(q, name);
  if (raw === undefined) return null;
  const parts = raw.split(',');
  const values: T[] = [];
  let star = false;
  parts.forEach((p, i) => {
    if (p === '') return;
    if (p === '*') star = true;
    else values.push(item(p, parts.length > 1 ? `${name}[${i}]` : name));
  });
  return star ? null : values;
}

function u32(raw: string, label: string, code: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) > U32_MAX) throw new SimError(code, `Invalid value in parameter \`${label}\`: could not parse \`${raw}\` as a positive integer`);
  return Number(raw);
}

function intList(q: Query, name: string, code: string): Set<number> | null {
  const values = list(q, name, (p, label) => u32(p, label, code));
  return values ? new Set(values) : null;
}

export function posInt(q: Query, name: string, code: string): number | undefined {
  const raw = qstr(q, name);
  return raw === undefined ? undefined : u32(raw, name, code);
}

/** A date bound; `*` means none. */
function dateBound(q: Query, name: string): number | undefined {
  const raw = qstr(q, name);
  if (raw === undefined || raw === '*') return undefined;
  const t = /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2}))?$/.test(raw) ? Date.parse(raw.replace(' ', 'T')) : NaN;
  if (Number.isNaN(t)) {
    const code = `invalid_task_${name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
    throw new SimError(code, `Invalid value in parameter \`${name}\`: \`${raw}\` is an invalid date-time. It should follow the YYYY-MM-DD or RFC 3339 date-time format.`);
  }
  return t;
}

function oneOf(q: Query, name: string, allowed: readonly string[], what: string, plural: string, code: string): string[] | null {
  return list(q, name, (v, label) => {
    if (allowed.includes(v)) return v;
    throw new SimError(code, `Invalid value in parameter \`${label}\`: \`${v}\` is not a valid ${what}. Available ${plural} are ${allowed.map((x) => `\`${x}\``).join(', ')}.`);
  });
}

function indexUidItem(raw: string, label: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(raw) && Buffer.byteLength(raw) <= 512) return raw;
  throw new SimError(
    'invalid_index_uid',
    `Invalid value in parameter \`${label}\`: \`${raw}\` is not a valid index uid. Index uid can be an integer or a string containing only alphanumeric characters, hyphens (-) and underscores (_), and can not be more than 512 bytes.`,
  );
}

/** The task filters shared by GET /tasks, GET /batches and POST /tasks/cancel, as a predicate (visibility included). */
export function taskFilter(ctx: Ctx, q: Query, principal: Principal): (t: TaskRecord) => boolean {
  const uids = intList(q, 'uids', 'invalid_task_uids');
  const batchUids = intList(q, 'batchUids', 'invalid_batch_uids');
  const canceledBy = intList(q, 'canceledBy', 'invalid_task_canceled_by');
  const statuses = oneOf(q, 'statuses', TASK_STATUSES, 'task status', 'statuses', 'invalid_task_statuses');
  const types = oneOf(q, 'types', FILTER_TYPES, 'task type', 'types', 'invalid_task_types');
  const indexUids = list(q, 'indexUids', indexUidItem);
  const b = {
    afterEnqueuedAt: dateBound(q, 'afterEnqueuedAt'),
    beforeEnqueuedAt: dateBound(q, 'beforeEnqueuedAt'),
    afterStartedAt: dateBound(q, 'afterStartedAt'),
    beforeStartedAt: dateBound(q, 'beforeStartedAt'),
    afterFinishedAt: dateBound(q, 'afterFinishedAt'),
    beforeFinishedAt: dateBound(q, 'beforeFinishedAt'),
  };
  const inRange = (value: string | null, after?: number, before?: number): boolean => {
    if (after === undefined && before === undefined) return true;
    if (value === null) return false;
    const t = Date.parse(value);
    return (after === undefined || t > after) && (before === undefined || t < before);
  };
  return (t) =>
    (!uids || uids.has(t.uid)) &&
    (!batchUids || (t.batchUid !== null && batchUids.has(t.batchUid))) &&
    (!canceledBy || (t.canceledBy !== null && canceledBy.has(t.canceledBy))) &&
    (!statuses || statuses.includes(t.status)) &&
    (!types || types.includes(t.type)) &&
    (!indexUids || (t.indexUid !== null && indexUids.includes(t.indexUid))) &&
    (t.indexUid === null ? principal.kind !== 'key' || principal.key.indexes.includes('*') : ctx.auth.canSeeIndex(principal, t.indexUid)) &&
    inRange(t.enqueuedAt, b.afterEnqueuedAt, b.beforeEnqueuedAt) &&
    inRange(t.startedAt, b.afterStartedAt, b.beforeStartedAt) &&
    inRange(t.finishedAt, b.afterFinishedAt, b.beforeFinishedAt);
}

function taskUid(raw: string): number {
  if (!/^\d+$/.test(raw)) throw new SimError('invalid_task_uids', `Task uid \`${raw}\` is invalid. It should only contain numeric characters.`);
  return Number(raw);
}

function rawQueryString(req: FastifyRequest): string {
  const at = req.url.indexOf('?');
  return at < 0 ? '' : req.url.slice(at + 1);
}

export function registerTaskRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/tasks', async (req) => {
    const principal = guard(ctx, req, { action: 'tasks.get' });
    const q = query(req);
    checkQueryKeys(q, TASK_QUERY_KEYS);
    const limit = posInt(q, 'limit', 'invalid_task_limit') ?? 20;
    const from = posInt(q, 'from', 'invalid_task_from');
    const reverseRaw = qstr(q, 'reverse');
    if (reverseRaw !== undefined && reverseRaw !== 'true' && reverseRaw !== 'false') {
      throw new SimError('invalid_task_reverse', `Invalid value in parameter \`reverse\`: could not parse \`${reverseRaw}\` as a boolean, expected either \`true\` or \`false\``);
    }
    const reverse = reverseRaw === 'true';
    const matches = taskFilter(ctx, q, principal);
    const all = ctx.store.tasks;
    let total = 0;
    const results: TaskRecord[] = [];
    let next: number | null = null;
    // Newest first (or oldest first with reverse=true), starting at `from`.
    const step = reverse ? 1 : -1;
    for (let i = reverse ? 0 : all.length - 1; i >= 0 && i < all.length; i += step) {
      const t = all[i]!;
      if (!matches(t)) continue;
      total++;
      const afterFrom = from === undefined || (reverse ? t.uid >= from : t.uid <= from);
      if (!afterFrom) continue;
      if (results.length < limit) results.push(t);
      else if (next === null) next = t.uid;
    }
    return { results: results.map(taskView), total, limit, from: results[0]?.uid ?? null, next };
  });

  // Meilisearch answers 200 here (not 202); the cancelation matches only tasks older than itself.
  app.post('/tasks/cancel', async (req) => {
    const principal = guard(ctx, req, { action: 'tasks.cancel' });
    const q = query(req);
    checkQueryKeys(q, FILTER_KEYS);
    if (Object.keys(q).length === 0) {
      throw new SimError(
        'missing_task_filters',
        'Query parameters to filter the tasks to cancel are missing. Available query parameters are: `uids`, `indexUids`, `statuses`, `types`, `canceledBy`, `beforeEnqueuedAt`, `afterEnqueuedAt`, `beforeStartedAt`, `afterStartedAt`, `beforeFinishedAt`, `afterFinishedAt`.',
      );
    }
    const matches = taskFilter(ctx, q, principal);
    const matched = ctx.store.tasks.filter(matches).map((t) => t.uid);
    return ctx.store.cancelTasks(matched, { matchedTasks: matched.length, originalFilter: `?${rawQueryString(req)}` });
  });

  app.get<{ Params: { taskUid: string } }>('/tasks/:taskUid', async (req) => {
    const principal = guard(ctx, req, { action: 'tasks.get' });
    const raw = req.params.taskUid;
    const t = ctx.store.tasks[taskUid(raw)];
    if (!t || (t.indexUid !== null && !ctx.auth.canSeeIndex(principal, t.indexUid))) throw errors.taskNotFound(raw);
    return taskView(t);
  });

  // Experimental (`getTaskDocumentsRoute`): the payload of a document addition not processed yet.
  app.get<{ Params: { taskUid: string } }>('/tasks/:taskUid/documents', async (req, reply) => {
    const principal = guard(ctx, req, { action: 'tasks.get' });
    if (ctx.features?.getTaskDocumentsRoute !== true) {
      throw new SimError(
        'feature_not_enabled',
        'Getting the documents of an enqueued task requires enabling the `get task documents route` experimental feature. See https://github.com/orgs/meilisearch/discussions/808',
      );
    }
    const raw = req.params.taskUid;
    const t = ctx.store.tasks[taskUid(raw)];
    if (!t || (t.indexUid !== null && !ctx.auth.canSeeIndex(principal, t.indexUid))) throw errors.taskNotFound(raw);
    if (t.type !== 'documentAdditionOrUpdate' || t.payload?.kind !== 'documents' || (t.status !== 'enqueued' && t.status !== 'processing')) {
      throw new SimError(
        'task_file_not_found',
        `Task \`${t.uid}\` does not contain any documents. Only \`documentAdditionOrUpdate\` tasks with the statuses \`enqueued\` or \`processing\` contain documents`,
        404,
      );
    }
    void reply.header('content-type', 'application/x-ndjson');
    // As Meilisearch answers a JSON or CSV payload: one document after the other, no separator (an
    // NDJSON payload it echoes as sent, which the dev node does not keep). Bytes, so Fastify adds
    // no `; charset=utf-8` to the content type.
    return Buffer.from(t.payload.documents.map((d) => JSON.stringify(d)).join(''));
  });
}
