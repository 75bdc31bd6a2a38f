// The query parameters of GET /tasks, GET /batches, POST /tasks/cancel and DELETE /tasks, parsed as
// Meilisearch 1.50 parses them (messages checked against the binary).
import { MeiliError } from '../../../../apps/api/src/errors/meili-error';
import { parseBatchUid, parseTaskFilterQuery, parseTaskListQuery, parseTaskUid } from '../../../../apps/api/src/tasks/task-query';

function errorOf(fn: () => unknown): { code: string; message: string; status: number } {
  try {
    fn();
  } catch (err) {
    if (err instanceof MeiliError) return { code: err.code, message: err.message, status: err.status };
    throw err;
  }
  throw new Error('expected an error');
}

describe('GET /tasks and GET /batches parameters', () => {
  it('reads `*` as no filter, in lists and in date bounds', () => {
    const q = parseTaskListQuery({ statuses: '*', types: '*,indexCreation', beforeEnqueuedAt: '*', afterStartedAt: '*', afterFinishedAt: '*' });
    expect(q.filter.statuses).toBeUndefined();
    expect(q.filter.types).toBeUndefined();
    expect(q.filter.beforeEnqueuedAt).toBeUndefined();
    expect(q.filter.afterStartedAt).toBeUndefined();
    expect(q.filter.afterFinishedAt).toBeUndefined();
  });

  it('accepts every task type Meilisearch 1.50 names, networkTopologyChange included', () => {
    expect(parseTaskListQuery({ types: 'networkTopologyChange,indexCompaction,dsrUpdate,dsrClear' }).filter.types).toEqual([
      'networkTopologyChange',
      'indexCompaction',
      'dsrUpdate',
      'dsrClear',
    ]);
    const e = errorOf(() => parseTaskListQuery({ types: 'foo' }));
    expect(e.code).toBe('invalid_task_types');
    expect(e.message).toBe(
      'Invalid value in parameter `types`: `foo` is not a valid task type. Available types are `documentAdditionOrUpdate`, `documentEdition`, `documentDeletion`, `settingsUpdate`, `indexCreation`, `indexDeletion`, `indexUpdate`, `indexSwap`, `taskCancelation`, `taskDeletion`, `dumpCreation`, `snapshotCreation`, `export`, `upgradeDatabase`, `indexCompaction`, `networkTopologyChange`, `dsrUpdate`, `dsrClear`.',
    );
  });

  it('names the bad item of a list by its position when the list has several', () => {
    expect(errorOf(() => parseTaskListQuery({ uids: 'abc' })).message).toBe('Invalid value in parameter `uids`: could not parse `abc` as a positive integer');
    expect(errorOf(() => parseTaskListQuery({ uids: '1,abc' })).message).toBe('Invalid value in parameter `uids[1]`: could not parse `abc` as a positive integer');
    expect(errorOf(() => parseTaskListQuery({ statuses: '*,foo' })).message).toMatch(/^Invalid value in parameter `statuses\[1\]`: `foo` is not a valid task status\./);
    const idx = errorOf(() => parseTaskListQuery({ indexUids: 'ok,bad name' }));
    expect(idx).toMatchObject({ code: 'invalid_index_uid', status: 400 });
    expect(idx.message).toMatch(/^Invalid value in parameter `indexUids\[1\]`: `bad name` is not a valid index uid\./);
  });

  it('uses Meilisearch codes: invalid_batch_uids for batchUids, u32 bounds for uids and limits', () => {
    expect(errorOf(() => parseTaskListQuery({ batchUids: 'x' })).code).toBe('invalid_batch_uids');
    expect(parseTaskListQuery({ uids: '4294967295' }).filter.uids).toEqual([4294967295]);
    expect(errorOf(() => parseTaskListQuery({ uids: '4294967296' })).code).toBe('invalid_task_uids');
    expect(errorOf(() => parseTaskListQuery({ limit: '99999999999' })).code).toBe('invalid_task_limit');
    expect(errorOf(() => parseTaskListQuery({ from: '-1' })).code).toBe('invalid_task_from');
  });

  it('keeps an empty list (matches nothing) apart from an absent one', () => {
    expect(parseTaskListQuery({ uids: '' }).filter.uids).toEqual([]);
    expect(parseTaskListQuery({ uids: '1,,2' }).filter.uids).toEqual([1, 2]);
    expect(parseTaskListQuery({}).filter.uids).toBeUndefined();
  });

  it('reads RFC 3339 and bare dates, and refuses the rest with the bound named', () => {
    expect(parseTaskListQuery({ afterEnqueuedAt: '2026-12-06T17:23:10Z' }).filter.afterEnqueuedAt?.toISOString()).toBe('2026-12-06T17:23:10.000Z');
    expect(parseTaskListQuery({ afterEnqueuedAt: '2026-12-06 17:23:10+01:00' }).filter.afterEnqueuedAt?.toISOString()).toBe('2026-12-06T16:23:10.000Z');
    // A bare date: after that whole day, before its start.
    expect(parseTaskListQuery({ afterEnqueuedAt: '2026-12-06' }).filter.afterEnqueuedAt?.toISOString()).toBe('2026-12-06T23:59:59.999Z');
    expect(parseTaskListQuery({ beforeEnqueuedAt: '2026-12-06' }).filter.beforeEnqueuedAt?.toISOString()).toBe('2026-12-06T00:00:00.000Z');
    for (const bad of ['2026-12-06T17:23:10', '', '*,*', 'yesterday']) {
      const e = errorOf(() => parseTaskListQuery({ afterFinishedAt: bad }));
      expect(e.code).toBe('invalid_task_after_finished_at');
      expect(e.message).toBe(
        `Invalid value in parameter \`afterFinishedAt\`: \`${bad}\` is an invalid date-time. It should follow the YYYY-MM-DD or RFC 3339 date-time format.`,
      );
    }
  });

  it('refuses unknown parameters, listing the known ones', () => {
    expect(errorOf(() => parseTaskListQuery({ customMetadata: 'x' })).message).toBe(
      'Unknown parameter `customMetadata`: expected one of `limit`, `from`, `reverse`, `batchUids`, `uids`, `canceledBy`, `types`, `statuses`, `indexUids`, `afterEnqueuedAt`, `beforeEnqueuedAt`, `afterStartedAt`, `beforeStartedAt`, `afterFinishedAt`, `beforeFinishedAt`',
    );
  });
});

describe('POST /tasks/cancel and DELETE /tasks parameters', () => {
  it('needs at least one filter, and says so with missing_task_filters', () => {
    const e = errorOf(() => parseTaskFilterQuery({}, '', 'cancel'));
    expect(e).toMatchObject({ code: 'missing_task_filters', status: 400 });
    expect(e.message).toBe(
      'Query parameters to filter the tasks to cancel are missing. Available query parameters are: `uids`, `indexUids`, `statuses`, `types`, `canceledBy`, `beforeEnqueuedAt`, `afterEnqueuedAt`, `beforeStartedAt`, `afterStartedAt`, `beforeFinishedAt`, `afterFinishedAt`.',
    );
    expect(errorOf(() => parseTaskFilterQuery({}, '', 'delete')).message).toMatch(/^Query parameters to filter the tasks to delete are missing\./);
  });

  it('takes no paging parameters, and echoes the query string as the original filter', () => {
    expect(errorOf(() => parseTaskFilterQuery({ limit: '1' }, 'limit=1', 'delete')).message).toBe(
      'Unknown parameter `limit`: expected one of `uids`, `batchUids`, `canceledBy`, `types`, `statuses`, `indexUids`, `afterEnqueuedAt`, `beforeEnqueuedAt`, `afterStartedAt`, `beforeStartedAt`, `afterFinishedAt`, `beforeFinishedAt`',
    );
    const q = parseTaskFilterQuery({ statuses: '*' }, 'statuses=*', 'cancel');
    expect(q).toEqual({ filter: expect.objectContaining({ statuses: undefined }), originalFilter: '?statuses=*' });
    expect(parseTaskFilterQuery({ uids: '' }, 'uids=', 'cancel').filter.uids).toEqual([]);
  });
});

describe('task and batch uids in paths', () => {
  it('answers Meilisearch wording for a non-numeric uid', () => {
    expect(parseTaskUid('42')).toBe(42);
    expect(errorOf(() => parseTaskUid('-1'))).toMatchObject({ code: 'invalid_task_uids', message: 'Task uid `-1` is invalid. It should only contain numeric characters.' });
    expect(errorOf(() => parseBatchUid('4294967296'))).toMatchObject({
      code: 'invalid_batch_uids',
      message: 'Batch uid `4294967296` is invalid. It should only contain numeric characters.',
    });
  });
});
