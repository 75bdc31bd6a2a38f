// Acceptance 1 and 2 of issue 6: adding a node moves only the shards whose owner changed; draining
// a node moves everything off it; afterwards every node holds exactly what its shards say.
import { listMigrations, loadTopology } from '@miroir/store';
import { workflowIds } from '@miroir/temporal';
import type { RebalanceResult } from '../../../workflows/rebalance.contract';
import { currentPlacement, desiredPlacement, diffPlacement } from '@miroir/core';
import { documentsOn, expectExactPlacement, SHARDS, startHarness, type Harness } from './harness';

jest.setTimeout(600_000);

describe('rebalance: add a node, then drain one', () => {
  let h: Harness;
  const DOCS = 3_000;
  beforeAll(async () => {
    h = await startHarness({ nodes: 3, documents: DOCS });
    await h.startWorker();
  }, 90_000);
  afterAll(async () => {
    await h?.stop();
  });

  const rebalance = (input: Record<string, unknown>): Promise<RebalanceResult> =>
    h.client.workflow.execute('rebalanceWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: workflowIds.rebalance(),
      args: [{ graceMs: 100, ...input }],
      workflowExecutionTimeout: '540s',
    });

  it('a dry run plans ≈ S/4 moves to the joining node and moves nothing', async () => {
    await h.addNode('meili-3', 'joining');
    const r = await rebalance({ dryRun: true, requestedBy: 'test' });
    expect(r.dryRunPlan!.moves.length).toBeGreaterThan(6);
    expect(r.dryRunPlan!.moves.length).toBeLessThan(28);
    expect(r.dryRunPlan!.moves.every((m) => m.to.length === 1 && m.to[0] === 'meili-3')).toBe(true);
    expect(r.plan.estimatedDocuments).toBeGreaterThan(0);
    expect((await documentsOn(h.nodeClient('meili-3'))).size).toBe(0);
  });

  it('adding a fourth node moves only the shards it takes, then makes it active', async () => {
    const before = await h.topology();
    const minimal = diffPlacement(currentPlacement(before, SHARDS), desiredPlacement(before, SHARDS));
    const r = await rebalance({ requestedBy: 'test' });
    expect(r.state).toBe('done');
    expect(r.failed).toBe(0);
    expect(r.completed).toBe(r.plan.moves);
    // Exactly the minimum move set: the shards whose owner changed, nothing else.
    expect(r.plan.moves).toBe(minimal.length);
    expect(r.activated).toEqual(['meili-3']);
    expect(r.documentsCopied).toBeGreaterThan(0);
    // Rendezvous hashing gives `meili-3` 22 of 64 shards (34 %, S/4 = 16 ± 3.5): the bound is the
    // hash's variance, not the algorithm's; what matters is that only those shards moved.
    expect(r.documentsCopied / DOCS).toBeLessThanOrEqual(minimal.length / SHARDS + 0.05);
    const topology = await loadTopology(h.ds);
    expect(topology!.nodes.find((n) => n.id === 'meili-3')!.state).toBe('active');
    expect(await listMigrations(h.ds)).toEqual([]);
    const counts = await expectExactPlacement(h);
    expect(counts['meili-3']).toBe(r.documentsCopied);
  });

  it('draining a node moves its shards away and removes it', async () => {
    await h.setState('meili-1', 'draining');
    const r = await rebalance({ requestedBy: 'test' });
    expect(r.state).toBe('done');
    expect(r.removed).toEqual(['meili-1']);
    expect((await documentsOn(h.nodeClient('meili-1'))).size).toBe(0);
    const topology = await loadTopology(h.ds);
    expect(topology!.nodes.find((n) => n.id === 'meili-1')!.state).toBe('removed');
    await expectExactPlacement(h);
  });
});
