import { NodeTaskView, aggregateTaskStatus } from '@miroir/core';

const t = (nodeId: string, status: NodeTaskView['status'], extra: Partial<NodeTaskView> = {}): NodeTaskView => ({ nodeId, status, ...extra });
const err = { message: 'boom', code: 'invalid_document_id', type: 'invalid_request', link: 'https://docs.meilisearch.com/errors#invalid_document_id' };

describe('task status aggregation (docs/design.md#tasks)', () => {
  it('stays enqueued until a node task starts, then processing while any is unfinished', () => {
    expect(aggregateTaskStatus([t('a', 'enqueued'), t('b', 'enqueued')]).status).toBe('enqueued');
    expect(aggregateTaskStatus([t('a', 'processing'), t('b', 'enqueued')]).status).toBe('processing');
    expect(aggregateTaskStatus([t('a', 'succeeded'), t('b', 'enqueued')]).status).toBe('processing');
    expect(aggregateTaskStatus([t('a', 'failed', { error: err }), t('b', 'processing')])).toMatchObject({ status: 'processing', error: null, finishedAt: null });
  });

  it('fails with the failing node’s error, cancels if any was canceled, else succeeds', () => {
    expect(aggregateTaskStatus([t('a', 'succeeded'), t('b', 'failed', { error: err })])).toMatchObject({ status: 'failed', error: err });
    expect(aggregateTaskStatus([t('a', 'canceled'), t('b', 'succeeded')]).status).toBe('canceled');
    expect(aggregateTaskStatus([t('a', 'succeeded'), t('b', 'succeeded')]).status).toBe('succeeded');
    expect(aggregateTaskStatus([]).status).toBe('succeeded');
  });

  it('spans the earliest start to the latest finish', () => {
    const agg = aggregateTaskStatus([
      t('a', 'succeeded', { startedAt: '2024-01-01T00:00:01.000Z', finishedAt: '2024-01-01T00:00:01.500Z' }),
      t('b', 'succeeded', { startedAt: '2024-01-01T00:00:00.900Z', finishedAt: '2024-01-01T00:00:02.150Z' }),
    ]);
    expect(agg).toMatchObject({ startedAt: '2024-01-01T00:00:00.900Z', finishedAt: '2024-01-01T00:00:02.150Z', duration: 'PT1.25S' });
  });
});
