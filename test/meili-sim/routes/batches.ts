// GET /batches and GET /batches/{uid}. The dev node processes one task per batch (a cancelation's
// batch also holds the tasks it canceled), so a batch is derived from its tasks.
import type { FastifyInstance } from 'fastify';
import { SimError } from '../errors';
import type { TaskRecord } from '../model';
import { checkQueryKeys, guard, qstr, query, type Ctx } from '../http/request';
import { posInt, TASK_QUERY_KEYS, taskFilter } from './tasks';

function count(into: Record<string, number>, key: string): void {
  into[key] = (into[key] ?? 0) + 1;
}

function isoDuration(ms: number): string {
  return `PT${(Math.max(0, ms) / 1000).toFixed(6).replace(/\.?0+$/, '') || '0'}S`;
}

/** A batch as Meilisearch shows it: its tasks' details together (counts added up) and their stats. */
function batchView(uid: number, tasks: readonly TaskRecord[]): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  const status: Record<string, number> = {};
  const types: Record<string, number> = {};
  const indexUids: Record<string, number> = {};
  for (const t of tasks) {
    for (const [k, v] of Object.entries(t.details ?? {})) {
      const prev = details[k];
      details[k] = typeof v === 'number' && typeof prev === 'number' ? prev + v : v === null && k in details ? prev : v;
    }
    count(status, t.status);
    count(types, t.type);
    if (t.indexUid !== null) count(indexUids, t.indexUid);
  }
  const startedAt = tasks.map((t) => t.startedAt ?? t.enqueuedAt).sort()[0]!;
  const finishedAt = tasks.every((t) => t.finishedAt !== null) ? tasks.map((t) => t.finishedAt!).sort().at(-1)! : null;
  // A finished batch leaves out null details (Meilisearch drops them there).
  if (finishedAt !== null) for (const [k, v] of Object.entries(details)) if (v === null) delete details[k];
  const owner = tasks.find((t) => t.uid === Math.max(...tasks.map((x) => x.uid)))!;
  return {
    uid,
    progress: null,
    details,
    stats: { totalNbTasks: tasks.length, status, types, indexUids },
    duration: finishedAt ? isoDuration(Date.parse(finishedAt) - Date.parse(startedAt)) : null,
    startedAt,
    finishedAt,
    batchStrategy: `created batch containing only task with id ${owner.uid} of type \`${owner.type}\` that cannot be batched with any other task.`,
  };
}

function batches(ctx: Ctx): Map<number, TaskRecord[]> {
  const out = new Map<number, TaskRecord[]>();
  for (const t of ctx.store.tasks) {
    if (t.batchUid === null) continue;
    const list = out.get(t.batchUid);
    if (list) list.push(t);
    else out.set(t.batchUid, [t]);
  }
  return out;
}

export function registerBatchRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/batches', async (req) => {
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
    // A batch matches when one of its tasks does (close to Meilisearch, which matches each filter on its own).
    const matches = taskFilter(ctx, q, principal);
    const all = [...batches(ctx)].filter(([, tasks]) => tasks.some(matches)).sort(([a], [b]) => (reverse ? a - b : b - a));
    const page = all.filter(([uid]) => from === undefined || (reverse ? uid >= from : uid <= from));
    const results = page.slice(0, limit).map(([uid, tasks]) => batchView(uid, tasks));
    return { results, total: all.length, limit, from: page.length > 0 && limit > 0 ? page[0]![0] : null, next: page[limit]?.[0] ?? null };
  });

  app.get<{ Params: { batchUid: string } }>('/batches/:batchUid', async (req) => {
    const principal = guard(ctx, req, { action: 'tasks.get' });
    const raw = req.params.batchUid;
    if (!/^\d+$/.test(raw)) throw new SimError('invalid_batch_uids', `Batch uid \`${raw}\` is invalid. It should only contain numeric characters.`);
    const tasks = batches(ctx).get(Number(raw));
    // A key restricted to some indexes sees a batch only through a task of one of them.
    const visible = tasks?.some((t) => t.indexUid !== null && ctx.auth.canSeeIndex(principal, t.indexUid)) || (tasks !== undefined && (principal.kind !== 'key' || principal.key.indexes.includes('*')));
    if (!tasks || !visible) throw new SimError('batch_not_found', `Batch \`${raw}\` not found.`, 404);
    return batchView(Number(raw), tasks);
  });
}
