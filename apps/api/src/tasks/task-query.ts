import type { TaskListFilter } from '@miroir/store';
import { MeiliError } from '../errors/meili-error';
import { errors } from '../errors/catalog';
import { TASK_STATUSES, TASK_TYPES } from './node-task';

// GET /tasks query parameters, parsed once at the edge with Meilisearch's error codes and wording.

const KEYS = [
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
] as const;

type DateKey = 'afterEnqueuedAt' | 'beforeEnqueuedAt' | 'afterStartedAt' | 'beforeStartedAt' | 'afterFinishedAt' | 'beforeFinishedAt';
const DATE_KEYS: readonly DateKey[] = ['afterEnqueuedAt', 'beforeEnqueuedAt', 'afterStartedAt', 'beforeStartedAt', 'afterFinishedAt', 'beforeFinishedAt'];

export interface TaskListQuery {
  filter: TaskListFilter;
  limit: number;
  from?: number;
  reverse: boolean;
}

type RawQuery = Record<string, unknown>;

function str(q: RawQuery, name: string): string | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  // A repeated parameter is read as one comma-separated list, as Meilisearch's own clients send it.
  return Array.isArray(v) ? v.map(String).join(',') : String(v);
}

/** A comma-separated list; `*` means "no filter". */
function list(q: RawQuery, name: string): string[] | undefined {
  const raw = str(q, name);
  if (raw === undefined) return undefined;
  const parts = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return parts.includes('*') ? undefined : parts;
}

function positiveInt(raw: string, name: string, code: string): number {
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new MeiliError(code, `Invalid value in parameter \`${name}\`: could not parse \`${raw}\` as a positive integer`);
  }
  return Number(raw);
}

function intList(q: RawQuery, name: string, code: string): number[] | undefined {
  return list(q, name)?.map((p) => positiveInt(p, name, code));
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * Meilisearch's date bounds: RFC 3339 or `YYYY-MM-DD`. A bare date in an `after…` bound means
 * "after that whole day" and in a `before…` bound "before that day", as Meilisearch reads them.
 */
function dateBound(q: RawQuery, name: DateKey): Date | undefined {
  const raw = str(q, name);
  if (raw === undefined) return undefined;
  const invalid = (): MeiliError =>
    new MeiliError(
      `invalid_task_${snake(name)}`,
      `Invalid value in parameter \`${name}\`: \`${raw}\` is an invalid date-time. It should follow the YYYY-MM-DD or RFC 3339 date-time format.`,
    );
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) {
    const ms = Date.parse(`${raw}T00:00:00Z`);
    if (Number.isNaN(ms)) throw invalid();
    return new Date(name.startsWith('after') ? ms + 86_400_000 - 1 : ms);
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw)) throw invalid();
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw invalid();
  return new Date(ms);
}

export function parseTaskListQuery(q: RawQuery): TaskListQuery {
  for (const k of Object.keys(q)) {
    if (!(KEYS as readonly string[]).includes(k)) {
      throw errors.badRequest(`Unknown parameter \`${k}\`: expected one of ${KEYS.map((a) => `\`${a}\``).join(', ')}`);
    }
  }
  const limitRaw = str(q, 'limit');
  const fromRaw = str(q, 'from');
  const reverseRaw = str(q, 'reverse');
  if (reverseRaw !== undefined && reverseRaw !== 'true' && reverseRaw !== 'false') {
    throw new MeiliError(
      'invalid_task_reverse',
      `Invalid value in parameter \`reverse\`: could not parse \`${reverseRaw}\` as a boolean, expected either \`true\` or \`false\``,
    );
  }
  const statuses = list(q, 'statuses');
  for (const s of statuses ?? []) {
    if (!(TASK_STATUSES as readonly string[]).includes(s)) {
      throw new MeiliError(
        'invalid_task_statuses',
        `Invalid value in parameter \`statuses\`: \`${s}\` is not a valid task status. Available statuses are ${TASK_STATUSES.map((x) => `\`${x}\``).join(', ')}.`,
      );
    }
  }
  const types = list(q, 'types');
  for (const t of types ?? []) {
    if (!(TASK_TYPES as readonly string[]).includes(t)) {
      throw new MeiliError(
        'invalid_task_types',
        `Invalid value in parameter \`types\`: \`${t}\` is not a valid task type. Available types are ${TASK_TYPES.map((x) => `\`${x}\``).join(', ')}.`,
      );
    }
  }
  const filter: TaskListFilter = {
    uids: intList(q, 'uids', 'invalid_task_uids'),
    batchUids: intList(q, 'batchUids', 'invalid_task_batch_uids'),
    canceledBy: intList(q, 'canceledBy', 'invalid_task_canceled_by'),
    statuses,
    types,
    indexUids: list(q, 'indexUids'),
  };
  for (const k of DATE_KEYS) filter[k] = dateBound(q, k);
  return {
    filter,
    limit: limitRaw === undefined ? 20 : positiveInt(limitRaw, 'limit', 'invalid_task_limit'),
    from: fromRaw === undefined ? undefined : positiveInt(fromRaw, 'from', 'invalid_task_from'),
    reverse: reverseRaw === 'true',
  };
}

/** The `:uid` of GET /tasks/{uid}. */
export function parseTaskUid(raw: string): number {
  return positiveInt(raw, 'taskUid', 'invalid_task_uids');
}
