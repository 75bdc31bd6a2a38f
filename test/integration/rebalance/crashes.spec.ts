// Acceptance 5 and 6 of issue 6: the worker killed with -9 mid-copy resumes from its heartbeat
// checkpoint; a target node killed mid-copy makes activities retry until it is back.
import type { WorkflowHandle } from '@temporalio/client';
import { loadTopology } from '@miroir/store';
import { workflowIds } from '@miroir/temporal';
import type { RebalanceProgress, RebalanceResult } from '../../../workflows/rebalance.contract';
import type { ShardMigrationProgress } from '../../../workflows/shard-migration.contract';
import { expectExactPlacement, startHarness, waitFor, type Harness } from './harness';

jest.setTimeout(600_000);

// Small pages and a short heartbeat timeout: the SDK flushes heartbeats every 0.8 × timeout, so
// a checkpoint reaches the server within a copy call, and a dead worker's call is retried fast.
const INPUT = { graceMs: 100, pageSize: 5, pageIntervalMs: 30, chunkMs: 30_000, heartbeatTimeoutMs: 1_000, maxConcurrentMigrations: 3, requestedBy: 'test' };

interface Checkpoint {
  workflowId: string;
  offset: number;
  copied: number;
}

describe('rebalance survives crashes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ nodes: 3, documents: 3_000 });
    h.spawnWorker(); // from dist/: build first (npx tsc -p tsconfig.build.json && npx tsc-alias -p tsconfig.build.json)
  }, 90_000);
  afterAll(async () => {
    await h?.stop();
  });

  const start = (): Promise<WorkflowHandle> =>
    h.client.workflow.start('rebalanceWorkflow', { taskQueue: h.taskQueue, workflowId: workflowIds.rebalance(), args: [INPUT], workflowExecutionTimeout: '540s' });
  const progressOf = (handle: WorkflowHandle): Promise<RebalanceProgress> => handle.query<RebalanceProgress>('progress');

  /** A copy call whose heartbeat checkpoint (copied > 0) has reached the server. */
  const checkpointed = async (handle: WorkflowHandle): Promise<Checkpoint | undefined> => {
    const p = await progressOf(handle).catch(() => undefined);
    for (const id of p?.runningMigrations ?? []) {
      const d = await h.client.workflow.getHandle(id).describe();
      for (const a of d.raw.pendingActivities ?? []) {
        const payload = a.heartbeatDetails?.payloads?.[0]?.data;
        if (a.activityType?.name !== 'copyShardChunk' || !payload) continue;
        const cp = JSON.parse(Buffer.from(payload).toString('utf8')) as { offset: number; copied: number };
        if (cp.copied > 0) return { workflowId: id, ...cp };
      }
    }
    return undefined;
  };

  it('a worker killed with -9 mid-copy: the copy resumes from its checkpoint and completes', async () => {
    await h.addNode('meili-3', 'joining');
    const handle = await start();
    const cp = await waitFor('a copy checkpoint on the server', () => checkpointed(handle), 90_000, 50);
    const before = (await h.client.workflow.getHandle(cp.workflowId).query<ShardMigrationProgress>('progress')).copied;
    await h.killWorker();
    h.spawnWorker();
    const r = (await handle.result()) as RebalanceResult;
    expect(r.state).toBe('done');
    const child = await h.client.workflow.getHandle(cp.workflowId).query<ShardMigrationProgress>('progress');
    expect(child.phase).toBe('done');
    // The retried call started from a checkpoint, not from zero, and counting went on from there.
    expect(child.resumes.length).toBeGreaterThan(0);
    expect(child.resumes[0]!.copied).toBeGreaterThan(0);
    expect(child.resumes[0]!.copied).toBeGreaterThanOrEqual(before);
    expect(child.copied).toBeGreaterThanOrEqual(child.resumes[0]!.copied);
    expect(child.copied).toBeLessThan(2 * child.verified);
    expect((await loadTopology(h.ds))!.nodes.find((n) => n.id === 'meili-3')!.state).toBe('active');
    await expectExactPlacement(h);
  });

  it('a target node killed with -9 mid-copy: activities retry, and the migration completes once it is back', async () => {
    await h.addNode('meili-4', 'joining');
    const handle = await start();
    await waitFor('copying to the new node', async () => (await progressOf(handle)).documentsCopied > 0 || ((await checkpointed(handle)) ?? false), 90_000, 50);
    const target = h.nodes.get('meili-4')!;
    await target.kill9();
    // While it is down the copy calls fail and are retried: the rebalance waits, nothing is lost.
    await waitFor(
      'a retried copy call',
      async () => {
        const p = await progressOf(handle);
        for (const id of p.runningMigrations) {
          const d = await h.client.workflow.getHandle(id).describe();
          if ((d.raw.pendingActivities ?? []).some((a) => (a.attempt ?? 1) > 1)) return true;
        }
        return false;
      },
      60_000,
      200,
    );
    expect((await progressOf(handle)).state).toBe('running');
    await target.restart();
    const r = (await handle.result()) as RebalanceResult;
    expect(r.state).toBe('done');
    expect(r.failed).toBe(0);
    expect(r.activated).toEqual(['meili-4']);
    await expectExactPlacement(h);
  });
});
