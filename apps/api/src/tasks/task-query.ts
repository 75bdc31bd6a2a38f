import type { TaskListFilter } from '@miroir/store';
import { MeiliError } from '../errors/meili-error';
import { errors } from '../errors/catalog';
import { isValidIndexUid } from '../indexes/index-uid';
import { TASK_STATUSES, TASK_TYPES } from './node-task';
import { taskErrors } from './task-errors';

// The query parameters of GET /tasks, GET /batches, POST /tasks/cancel and DELETE /tasks, parsed
// once at the edge with Meilisearch 1.50's error codes and wording (checked against the binary).

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
] as const;
// GET lists `batchUids` before `uids`; cancel and delete the other way round (as Meilisearch's messages do).
const LIST_KEYS = ['limit', 'from', 'reverse', 'batchUids', 'uids', ...FILTER_KEYS.slice(2)] as const;

type DateKey = 'afterEnqueuedAt' | 'beforeEnqueuedAt' | 'afterStartedAt' | 'beforeStartedAt' | 'afterFinishedAt' | 'beforeFinishedAt';
const DATE_KEYS: readonly DateKey[] = ['afterEnqueuedAt', 'beforeEnqueuedAt', 'afterStartedAt', 'beforeStartedAt', 'afterFinishedAt', 'beforeFinishedAt'];

/** Meilisearch's task and batch uids, limits and offsets are u32. */
const U32_MAX = 4_294_967_295;

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

/**
 * A comma-separated list, empty items ignored; `*` means "no filter". An item's error names it
 * `name[i]` when the list has several items, as Meilisearch does.
 */
function list<T extends string | number>(q: RawQuery, name: string, item: (raw: string, label: string) => T): T[] | undefined {
  const raw = str(q, name);
  if (raw === undefined) return undefined;
  const parts = raw.split(',');
  const values: T[] = [];
  let star = false;
  parts.forEach((p, i) => {
    if (p === '') return;
    if (p === '*') star = true;
    else values.push(item(p, parts.length > 1 ? `${name}[${i}]` : name));
  });
  return star ? undefined : values;
}

function u32(raw: string, label: string, code: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) > U32_MAX) {
    throw new MeiliError(code, `Invalid value in parameter \`${label}\`: could not parse \`${raw}\` as a positive integer`);
  }
  return Number(raw);
}

function oneOf<T extends string>(allowed: readonly T[], what: string, plural: string, code: string) {
  return (raw: string, label: string): T => {
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    throw new MeiliError(
      code,
      `Invalid value in parameter \`${label}\`: \`${raw}\` is not a valid ${what}. Available ${plural} are ${allowed.map((x) => `\`${x}\``).join(', ')}.`,
    );
  };
}

function indexUid(raw: string, label: string): string {
  if (isValidIndexUid(raw)) return raw;
  throw new MeiliError(
    'invalid_index_uid',
    `Invalid value in parameter \`${label}\`: \`${raw}\` is not a valid index uid. Index uid can be an integer or a string containing only alphanumeric characters, hyphens (-) and underscores (_), and can not be more than 512 bytes.`,
  );
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * Meilisearch's date bounds: RFC 3339 or `YYYY-MM-DD`, or `*` for no bound. A bare date in an
 * `after…` bound means "after that whole day" and in a `before…` bound "before that day".
 */
function dateBound(q: RawQuery, name: DateKey): Date | undefined {
  const raw = str(q, name);
  if (raw === undefined || raw === '*') return undefined;
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
  // RFC 3339 needs an offset; it allows a space for the `T`.
  if (!/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(raw)) throw invalid();
  const ms = Date.parse(raw.replace(' ', 'T'));
  if (Number.isNaN(ms)) throw invalid();
  return new Date(ms);
}

function checkKeys(q: RawQuery, allowed: readonly string[]): void {
  for (const k of Object.keys(q)) {
    if (!allowed.includes(k)) {
      throw errors.badRequest(`Unknown parameter \`${k}\`: expected one of ${allowed.map((a) => `\`${a}\``).join(', ')}`);
    }
  }
}

function parseFilter(q: RawQuery): TaskListFilter {
  const filter: TaskListFilter = {
    uids: list(q, 'uids', (p, l) => u32(p, l, 'invalid_task_uids')),
    batchUids: list(q, 'batchUids', (p, l) => u32(p, l, 'invalid_batch_uids')),
    canceledBy: list(q, 'canceledBy', (p, l) => u32(p, l, 'invalid_task_canceled_by')),
    types: list(q, 'types', oneOf(TASK_TYPES, 'task type', 'types', 'invalid_task_types')),
    statuses: list(q, 'statuses', oneOf(TASK_STATUSES, 'task status', 'statuses', 'invalid_task_statuses')),
    indexUids: list(q, 'indexUids', indexUid),
  };
  for (const k of DATE_KEYS) filter[k] = dateBound(q, k);
  return filter;
}

/** GET /tasks and GET /batches (the same parameters on Meilisearch). */
export function parseTaskListQuery(q: RawQuery): TaskListQuery {
  checkKeys(q, LIST_KEYS);
  const limitRaw = str(q, 'limit');
  const fromRaw = str(q, 'from');
  const reverseRaw = str(q, 'reverse');
  if (reverseRaw !== undefined && reverseRaw !== 'true' && reverseRaw !== 'false') {
    throw new MeiliError(
      'invalid_task_reverse',
      `Invalid value in parameter \`reverse\`: could not parse \`${reverseRaw}\` as a boolean, expected either \`true\` or \`false\``,
    );
  }
  const filter = parseFilter(q);
  return {
    filter,
    limit: limitRaw === undefined ? 20 : u32(limitRaw, 'limit', 'invalid_task_limit'),
    from: fromRaw === undefined ? undefined : u32(fromRaw, 'from', 'invalid_task_from'),
    reverse: reverseRaw === 'true',
  };
}

export interface TaskFilterQuery {
  filter: TaskListFilter;
  /** The query string as the client sent it (`?…`), Meilisearch's `details.originalFilter`. */
  originalFilter: string;
}

/**
 * POST /tasks/cancel and DELETE /tasks: the filters of GET /tasks without paging, at least one of
 * them (even empty, as `uids=`, which matches nothing).
 */
export function parseTaskFilterQuery(q: RawQuery, rawQueryString: string, operation: 'cancel' | 'delete'): TaskFilterQuery {
  checkKeys(q, FILTER_KEYS);
  if (Object.keys(q).length === 0) throw taskErrors.missingTaskFilters(operation);
  return { filter: parseFilter(q), originalFilter: `?${rawQueryString}` };
}

/** The `:uid` of GET /tasks/{uid} (and /tasks/{uid}/documents). */
export function parseTaskUid(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) > U32_MAX) {
    throw new MeiliError('invalid_task_uids', `Task uid \`${raw}\` is invalid. It should only contain numeric characters.`);
  }
  return Number(raw);
}

/** The `:uid` of GET /batches/{uid}. */
export function parseBatchUid(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) > U32_MAX) {
    throw new MeiliError('invalid_batch_uids', `Batch uid \`${raw}\` is invalid. It should only contain numeric characters.`);
  }
  return Number(raw);
}
