// GET /tasks (filters uids, statuses, types, indexUids, limit, from, reverse, date bounds) and
// GET /tasks/{uid}.
import type { FastifyInstance } from 'fastify';
import { errors } from '../error-catalog';
import { SimError } from '../errors';
import { TASK_STATUSES, TASK_TYPES, type TaskRecord } from '../model';
import { checkQueryKeys, guard, qstr, query, type Ctx, type Query } from '../http/request';
import { taskView } from '../tasks/view';

const TASK_QUERY_KEYS = [
  'limit',
  'from',
  'reverse',
  'batchUids',
  'uids',
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

function csv(q: Query, name: string): string[] | null {
  const raw = qstr(q, name);
  if (raw === undefined) return null;
  const parts = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return parts.includes('*') ? null : parts;
}

function intList(q: Query, name: string, code: string): Set<number> | null {
  const parts = csv(q, name);
  if (!parts) return null;
  return new Set(
    parts.map((p) => {
      if (!/^\d+$/.test(p)) throw new SimError(code, `Invalid value in parameter \`${name}\`: could not parse \`${p}\` as a positive integer`);
      return Number(p);
    }),
  );
}

function posInt(q: Query, name: string, code: string): number | undefined {
  const raw = qstr(q, name);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new SimError(code, `Invalid value in parameter \`${name}\`: could not parse \`${raw}\` as a positive integer`);
  return Number(raw);
}

function dateBound(q: Query, name: string): number | undefined {
  const raw = qstr(q, name);
  if (raw === undefined) return undefined;
  const t = Date.parse(raw);
  if (Number.isNaN(t)) {
    const code = `invalid_task_${name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
    throw new SimError(code, `Invalid value in parameter \`${name}\`: \`${raw}\` is an invalid date-time. It should follow the YYYY-MM-DD or RFC 3339 date-time format.`);
  }
  return t;
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
    const uids = intList(q, 'uids', 'invalid_task_uids');
    const batchUids = intList(q, 'batchUids', 'invalid_batch_uids');
    const canceledBy = intList(q, 'canceledBy', 'invalid_task_canceled_by');
    const statuses = csv(q, 'statuses');
    for (const s of statuses ?? []) {
      if (!(TASK_STATUSES as readonly string[]).includes(s)) {
        throw new SimError('invalid_task_statuses', `Invalid value in parameter \`statuses\`: \`${s}\` is not a valid task status. Available statuses are ${TASK_STATUSES.map((x) => `\`${x}\``).join(', ')}.`);
      }
    }
    const types = csv(q, 'types');
    for (const t of types ?? []) {
      if (!(TASK_TYPES as readonly string[]).includes(t)) {
        throw new SimError('invalid_task_types', `Invalid value in parameter \`types\`: \`${t}\` is not a valid task type. Available types are ${TASK_TYPES.map((x) => `\`${x}\``).join(', ')}.`);
      }
    }
    const indexUids = csv(q, 'indexUids');
    const bounds = {
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
    const matches = (t: TaskRecord): boolean =>
      (!uids || uids.has(t.uid)) &&
      (!batchUids || (t.batchUid !== null && batchUids.has(t.batchUid))) &&
      (!canceledBy || (t.canceledBy !== null && canceledBy.has(t.canceledBy))) &&
      (!statuses || statuses.includes(t.status)) &&
      (!types || types.includes(t.type)) &&
      (!indexUids || (t.indexUid !== null && indexUids.includes(t.indexUid))) &&
      (t.indexUid === null ? principal.kind !== 'key' || principal.key.indexes.includes('*') : ctx.auth.canSeeIndex(principal, t.indexUid)) &&
      inRange(t.enqueuedAt, bounds.afterEnqueuedAt, bounds.beforeEnqueuedAt) &&
      inRange(t.startedAt, bounds.afterStartedAt, bounds.beforeStartedAt) &&
      inRange(t.finishedAt, bounds.afterFinishedAt, bounds.beforeFinishedAt);

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

  app.get<{ Params: { taskUid: string } }>('/tasks/:taskUid', async (req) => {
    const principal = guard(ctx, req, { action: 'tasks.get' });
    const raw = req.params.taskUid;
    if (!/^\d+$/.test(raw)) {
      throw new SimError('invalid_task_uids', `Invalid value in parameter \`taskUid\`: could not parse \`${raw}\` as a positive integer`);
    }
    const t = ctx.store.tasks[Number(raw)];
    if (!t || (t.indexUid !== null && !ctx.auth.canSeeIndex(principal, t.indexUid))) throw errors.taskNotFound(raw);
    return taskView(t);
  });
}
