import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildShardTable, shardForKey, type Topology } from '@miroir/core';
import { freePort, repoRoot } from '@miroir/embedded';
import type { DevNode } from '@miroir/embedded/dev-node';
import { startTestNode } from '../../support/node';
import { startTestCluster, type TestCluster } from '../../support/cluster';
import { testDir, uniqueSuffix } from '../../support/stack';

// Issue 6 (1, 3, 7) through the admin API: a fourth node joins a 3-node RF=2 cluster while a
// writer inserts and updates documents and a reader keeps searching. Afterwards every acknowledged
// write is present in its latest version on exactly its owners, no read was incomplete, and the
// operator saw progress through the admin API and miroir-ctl.
jest.setTimeout(900_000);

const INDEX = 'catalog';
const INITIAL = 3_000;
const S = 16;

interface Doc {
  id: string;
  title: string;
  version: number;
}

describe('rebalance while clients read and write', () => {
  let cluster: TestCluster;
  let extra: DevNode;

  beforeAll(async () => {
    // The shortest grace the config allows, and more migrations at once than the default: the tightest
    // timing the routing switch must survive under live traffic (and a faster test).
    cluster = await startTestCluster({ nodes: 3, replicationFactor: 2, shards: S, env: { MIROIR_REBALANCE__GRACE_MS: '3000', MIROIR_REBALANCE__MAX_CONCURRENT_MIGRATIONS: '4' } });
    extra = await startTestNode({
      httpAddr: `127.0.0.1:${await freePort()}`,
      dbPath: join(testDir(), `extra-node-${uniqueSuffix()}`),
      masterKey: cluster.nodeMasterKey,
    });
    const docs: Doc[] = Array.from({ length: INITIAL }, (_, i) => ({ id: `d${i}`, title: `item ${i}`, version: 0 }));
    await cluster.client().index(INDEX).addDocuments(docs, { primaryKey: 'id' }).waitTask({ timeout: 120_000 });
    // Counts are capped at maxTotalHits (1,000 by default), as on Meilisearch: lift the cap so a
    // search's estimatedTotalHits is an exact completeness check.
    await cluster.client().index(INDEX).updatePagination({ maxTotalHits: 1_000_000 }).waitTask({ timeout: 60_000 });
  });
  afterAll(async () => {
    await cluster?.stop();
    await extra?.stop();
  });

  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${cluster.url}${path}`, { ...init, headers: { 'x-admin-key': cluster.adminKey, 'content-type': 'application/json', ...(init.headers ?? {}) } });

  it('moves only what changed owners, loses no acknowledged write and keeps reads complete', async () => {
    const latest = new Map<string, number>(Array.from({ length: INITIAL }, (_, i) => [`d${i}`, 0]));
    let stop = false;
    let writes = 0;
    let reads = 0;
    const readProblems: string[] = [];
    const pendingTasks: number[] = [];

    const writer = (async () => {
      for (let round = 1; !stop; round++) {
        // 20 updates of existing documents and 5 new ones per batch.
        const batch: Doc[] = [];
        for (let k = 0; k < 20; k++) batch.push({ id: `d${(round * 37 + k * 101) % INITIAL}`, title: `updated ${round}`, version: round });
        for (let k = 0; k < 5; k++) batch.push({ id: `n${round}-${k}`, title: `new ${round}`, version: round });
        const res = await cluster.request(`/indexes/${INDEX}/documents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) });
        if (res.status === 202) {
          pendingTasks.push(((await res.json()) as { taskUid: number }).taskUid);
          for (const d of batch) latest.set(d.id, d.version);
          writes++;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const reader = (async () => {
      while (!stop) {
        const res = await cluster.request(`/indexes/${INDEX}/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ q: '', limit: 1 }) });
        reads++;
        const degraded = res.headers.get('x-miroir-degraded');
        const body = (await res.json()) as { estimatedTotalHits?: number };
        if (res.status !== 200 || degraded) readProblems.push(`status ${res.status} degraded ${degraded}`);
        // Writes only add and update, so a complete answer counts at least the initial corpus.
        else if ((body.estimatedTotalHits ?? 0) < INITIAL) readProblems.push(`only ${body.estimatedTotalHits} hits`);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    const added = await admin('/_miroir/nodes', { method: 'POST', body: JSON.stringify({ id: 'meili-3', address: extra.url, group: 0 }) });
    expect(added.status).toBe(201);
    expect(((await added.json()) as { node: { state: string } }).node.state).toBe('joining');

    const started = await admin('/_miroir/rebalance', { method: 'POST', body: JSON.stringify({ requestedBy: 'e2e' }) });
    expect(started.status).toBe(202);
    const ref = (await started.json()) as { workflowId: string; link: string };
    expect(ref.workflowId).toBe('rebalance');
    expect(ref.link).toContain('/workflows/rebalance');

    // Progress is visible to an operator while it runs, through miroir-ctl too.
    let sawProgress = false;
    let final: { status: string; result?: { completed: number; documentsCopied: number; plan: { moves: number } } } | undefined;
    // Nine minutes: a loaded 2-core machine with real nodes; a quiet run needs one to two.
    for (const deadline = Date.now() + 540_000; Date.now() < deadline; ) {
      const s = (await (await admin('/_miroir/rebalance/status')).json()) as typeof final & { progress?: unknown };
      if (s?.progress) sawProgress = true;
      if (s && s.status !== 'RUNNING') {
        final = s;
        break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(sawProgress).toBe(true);
    // The whole status on a failure: it carries the failed migrations' messages.
    expect(final).toMatchObject({ status: 'COMPLETED' });
    const ctl = spawnSync(process.execPath, [join(repoRoot(), 'dist/apps/ctl/src/main.js'), '--url', cluster.url, '--admin-key', cluster.adminKey, 'rebalance', 'status'], { encoding: 'utf8' });
    expect(ctl.stderr).toBe('');
    expect(ctl.stdout).toMatch(/workflow\s+rebalance \(COMPLETED\)/);

    stop = true;
    await Promise.all([writer, reader]);
    expect(writes).toBeGreaterThan(0);
    expect(reads).toBeGreaterThan(0);
    expect(readProblems).toEqual([]);
    for (const uid of pendingTasks) expect((await cluster.client().tasks.waitForTask(uid, { timeout: 60_000 })).status).toBe('succeeded');

    // Only shards whose owners changed moved: the plan's moves, each one shard in group 0.
    const topology = (await (await admin('/_miroir/topology')).json()) as { version: number; replicationFactor: number; replicaGroups: number; nodes: Array<{ id: string; address: string; group: number; state: string }> };
    expect(topology.nodes.find((n) => n.id === 'meili-3')?.state).toBe('active');
    const before = buildShardTable(coreTopology({ ...topology, nodes: topology.nodes.filter((n) => n.id !== 'meili-3') }), S);
    const after = buildShardTable(coreTopology(topology), S);
    let changed = 0;
    for (let s = 0; s < S; s++) {
      const a = [...before.owners(0, s)].sort().join();
      const b = [...after.owners(0, s)].sort().join();
      if (a !== b) changed++;
    }
    expect(final?.result?.plan.moves).toBe(changed);

    // Every document on exactly its owners, in its latest acknowledged version; nothing else anywhere.
    const nodeIds = ['meili-0', 'meili-1', 'meili-2', 'meili-3'];
    const held = new Map<string, Map<string, Doc>>();
    for (const [i, id] of nodeIds.entries()) {
      const client = i < 3 ? cluster.nodeClient(i) : new (await import('meilisearch')).Meilisearch({ host: extra.url, apiKey: cluster.nodeMasterKey });
      const page = await client.index(INDEX).getDocuments<Doc>({ limit: 100_000 });
      held.set(id, new Map(page.results.map((d) => [d.id, d])));
    }
    for (const [id, version] of latest) {
      const owners = after.owners(0, shardForKey(id, S));
      for (const n of nodeIds) {
        const doc = held.get(n)!.get(id);
        if (owners.includes(n)) expect({ id, node: n, version: doc?.version }).toEqual({ id, node: n, version });
        else expect({ id, node: n, present: doc !== undefined }).toEqual({ id, node: n, present: false });
      }
    }
    const total = [...held.values()].reduce((a, m) => a + m.size, 0);
    expect(total).toBe(latest.size * 2);
  });
});

function coreTopology(t: { version: number; replicationFactor: number; replicaGroups: number; nodes: Array<{ id: string; address: string; group: number; state: string }> }): Topology {
  return {
    version: t.version,
    replicationFactor: t.replicationFactor,
    groups: t.replicaGroups,
    nodes: t.nodes.map((n) => ({ id: n.id, address: n.address, group: n.group, state: n.state === 'joining' ? 'active' : (n.state as Topology['nodes'][number]['state']) })),
  };
}
