// Acceptance 4 and the cancel half of 6 (issue 6): a paused rebalance copies nothing until resumed;
// a cancelled one rolls back every migration that had not cut over.
import type { WorkflowHandle } from '@temporalio/client';
import { listMigrations, loadTopology } from '@miroir/store';
import { workflowIds } from '@miroir/temporal';
import type { RebalanceProgress, RebalanceResult } from '../../../workflows/rebalance.contract';
import type { ShardMigrationProgress } from '../../../workflows/shard-migration.contract';
import { documentsOn, expectExactPlacement, startHarness, waitFor, type Harness } from './harness';

// Bounds for a loaded 2-core machine running real Meilisearch nodes, where each small page is a
// node task of its own; a quiet run takes well under a minute per test.
jest.setTimeout(600_000);

const SLOW = { graceMs: 100, pageSize: 20, pageIntervalMs: 100, chunkMs: 500, maxConcurrentMigrations: 2, requestedBy: 'test' };

describe('rebalance: pause, resume, cancel', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ nodes: 3, documents: 3_000 });
    await h.startWorker();
  }, 90_000);
  afterAll(async () => {
    await h?.stop();
  });

  const start = (): Promise<WorkflowHandle> =>
    h.client.workflow.start('rebalanceWorkflow', { taskQueue: h.taskQueue, workflowId: workflowIds.rebalance(), args: [SLOW], workflowExecutionTimeout: '540s' });
  const progressOf = (handle: WorkflowHandle): Promise<RebalanceProgress> => handle.query<RebalanceProgress>('progress');
  const childProgress = (id: string): Promise<ShardMigrationProgress | undefined> =>
    h.client.workflow
      .getHandle(id)
      .query<ShardMigrationProgress>('progress')
      .catch(() => undefined);

  it('copies no page while paused, and completes once resumed', async () => {
    await h.addNode('meili-3', 'joining');
    const handle = await start();
    await waitFor('a first page copied', async () => (await progressOf(handle)).documentsCopied > 0);
    await handle.signal('pause');
    // Running copies stop at their next chunk boundary; a migration already cut over finishes.
    await waitFor('every running migration to stand still', async () => {
      const p = await progressOf(handle);
      if (p.state !== 'paused') return false;
      const children = await Promise.all(p.runningMigrations.map(childProgress));
      return children.every((c) => c === undefined || c.waitingForResume || c.cutOver);
    });
    const before = await progressOf(handle);
    const childrenBefore = await Promise.all(before.runningMigrations.map(childProgress));
    await new Promise((r) => setTimeout(r, 3_000));
    const after = await progressOf(handle);
    expect(after.state).toBe('paused');
    expect(after.documentsCopied).toBe(before.documentsCopied);
    expect(after.completed + after.running).toBeLessThanOrEqual(before.completed + before.running);
    const childrenAfter = await Promise.all(before.runningMigrations.map(childProgress));
    childrenAfter.forEach((c, i) => {
      if (c && !c.cutOver) expect(c.copied).toBe(childrenBefore[i]!.copied);
    });

    await handle.signal('resume');
    const r = await handle.result();
    expect(r.state).toBe('done');
    expect(r.activated).toEqual(['meili-3']);
    await expectExactPlacement(h);
  });

  it('cancel rolls back migrations that had not cut over: routing and data as before', async () => {
    await h.addNode('meili-4', 'joining');
    const handle = await start();
    await waitFor('a first page copied', async () => (await progressOf(handle)).documentsCopied > 0);
    await handle.signal('cancel');
    const r = (await handle.result()) as RebalanceResult;
    expect(r.state).toBe('cancelled');
    expect(r.failed).toBe(0);
    expect(r.rolledBack).toBeGreaterThan(0);
    // Finished moves keep their cut-over row (routing by it is correct); nothing else remains.
    const rows = await listMigrations(h.ds);
    expect(rows.every((row) => row.phase === 'cut_over')).toBe(true);
    expect(rows.length).toBe(r.completed);
    const topology = await loadTopology(h.ds);
    expect(topology!.nodes.find((n) => n.id === 'meili-4')!.state).toBe('joining');
    await expectExactPlacement(h);
    if (r.completed === 0) expect((await documentsOn(h.nodeClient('meili-4'))).size).toBe(0);
  });
});
