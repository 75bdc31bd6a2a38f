// Anti-entropy (docs/design.md#per-group-quorum, docs/design.md#workflows): with two replica groups and RF=1, a node that is down misses
// writes its group never acknowledged (the other group did, so the client got 202 with
// X-Miroir-Degraded). When the node is back, the antiEntropy workflow compares every shard's
// replicas and repairs them: missed additions and updates are copied, missed deletions (by id and
// by filter) are applied, nothing deleted is resurrected, and both groups end equal to what the
// client was told.
import { Client, Connection } from '@temporalio/client';
import type { Meilisearch } from 'meilisearch';
import { scheduleIds } from '@miroir/temporal';
import { startTestCluster, type TestCluster } from '../../support/cluster';
import { temporalAddress } from '../../support/stack';
import type { AntiEntropyResult } from '../../../workflows/anti-entropy.workflow';

jest.setTimeout(300_000);

const UID = 'ae_books';
type Doc = Record<string, unknown>;

let cluster: TestCluster;
let client: Meilisearch;
let temporal: Client;
let run = 0;

/** Every document a node holds, by id, as stored (reserved fields included). */
async function nodeDocs(i: number): Promise<Map<string, Doc>> {
  const page = await cluster.nodeClient(i).index(UID).getDocuments({ limit: 10_000 });
  return new Map(page.results.map((d) => [String((d as Doc)['id']), d as Doc]));
}

/** A replica group's documents: its nodes' union (RF=1: each document on one node of the group). */
async function groupDocs(group: number): Promise<Map<string, Doc>> {
  const out = new Map<string, Doc>();
  for (const [i, n] of cluster.nodes.entries()) if (n.group === group) for (const [id, d] of await nodeDocs(i)) out.set(id, d);
  return out;
}

const withoutReserved = (d: Doc): Doc => Object.fromEntries(Object.entries(d).filter(([k]) => !k.startsWith('_miroir_')));
const sorted = (m: Map<string, Doc>): Array<[string, Doc]> => [...m].sort(([a], [b]) => a.localeCompare(b));

function antiEntropy(): Promise<AntiEntropyResult> {
  return temporal.workflow.execute('antiEntropyWorkflow', {
    taskQueue: cluster.taskQueue,
    workflowId: `anti-entropy-test-${++run}`,
    args: [{ settleMs: 300, pageSize: 7, concurrency: 3, unavailableRetries: 0 }],
  });
}

async function startCluster(): Promise<void> {
  cluster = await startTestCluster({
    nodes: 4,
    groups: 2,
    replicationFactor: 1,
    shards: 8,
    env: {
      MIROIR_ANTI_ENTROPY__ENABLED: 'true',
      MIROIR_ANTI_ENTROPY__INTERVAL_MS: '3600000',
      MIROIR_ANTI_ENTROPY__SETTLE_MS: '300',
      MIROIR_HEALTH__INTERVAL_MS: '200',
    },
  });
  client = cluster.client();
  temporal = new Client({ connection: await Connection.connect({ address: temporalAddress() }), namespace: cluster.namespace });
}

async function stopCluster(): Promise<void> {
  await temporal?.connection.close();
  await cluster?.stop();
}

describe('runs started by hand', () => {
  beforeAll(startCluster);
  afterAll(stopCluster);

  test('repairs the replicas of a node that missed acknowledged additions, updates and deletions, resurrecting nothing', async () => {
    // The worker created the schedule because anti-entropy is on. Paused here, so the early runs the
    // API requests (a degraded write, a node's recovery) do not race this test's own runs.
    const schedule = temporal.schedule.getHandle(scheduleIds.antiEntropy());
    expect((await schedule.describe()).action).toMatchObject({ workflowType: 'antiEntropyWorkflow' });
    await schedule.pause('test: runs started by hand');

    await client.createIndex(UID, { primaryKey: 'id' }).waitTask({ timeout: 30_000 });
    await client.index(UID).updateFilterableAttributes(['colour', 'band']).waitTask({ timeout: 30_000 });
    const model = new Map<string, Doc>();
    const put = (d: Doc): void => void model.set(String(d['id']), { ...(model.get(String(d['id'])) ?? {}), ...d });
    const seed = Array.from({ length: 60 }, (_, i) => ({ id: i, colour: i % 2 === 0 ? 'red' : 'blue', band: Math.floor(i / 10), n: 0 }));
    seed.forEach((d) => model.set(String(d.id), d));
    await client.index(UID).addDocuments(seed).waitTask({ timeout: 30_000 });
    // Writes stamp documents on the nodes; clients never see the stamp.
    const stored = [...(await nodeDocs(0)).values()][0]!;
    expect(typeof stored['_miroir_updated_at']).toBe('number');
    expect(JSON.stringify(await client.index(UID).getDocuments({ limit: 100 }))).not.toContain('_miroir_');
    expect(sorted(await groupDocs(0))).toEqual(sorted(await groupDocs(1)));

    // meili-3 (group 1) goes down; group 0 acknowledges everything meanwhile.
    await cluster.nodes[3]!.kill9();
    const index = client.index(UID);
    const added = Array.from({ length: 20 }, (_, k) => ({ id: 60 + k, colour: 'green', band: 6 + Math.floor(k / 10), n: 0 }));
    const replaced = Array.from({ length: 10 }, (_, i) => ({ id: i, colour: 'red', band: 0, n: 1 }));
    const merged = Array.from({ length: 5 }, (_, k) => ({ id: 10 + k, extra: 'patched' }));
    for (const write of [() => index.addDocuments(added), () => index.addDocuments(replaced), () => index.updateDocuments(merged)]) {
      expect((await write().waitTask({ timeout: 30_000 })).status).toBe('succeeded');
    }
    added.forEach(put);
    replaced.forEach((d) => model.set(String(d.id), d));
    merged.forEach(put);
    const byId = await index.deleteDocuments([20, 21, 22, 23, 24, 61]).waitTask({ timeout: 30_000 });
    expect(byId.status).toBe('succeeded');
    for (const id of [20, 21, 22, 23, 24, 61]) model.delete(String(id));
    const byFilter = await index.deleteDocuments({ filter: 'band = 4 AND colour = blue' }).waitTask({ timeout: 30_000 });
    expect(byFilter.status).toBe('succeeded');
    for (const [id, d] of [...model]) if (d['band'] === 4 && d['colour'] === 'blue') model.delete(id);
    // Acknowledged, then failed on every node (`n` is not filterable): it deleted nothing, and
    // anti-entropy must not apply it to the documents it would match (ids 0–9, now n = 1).
    const refused = await index.deleteDocuments({ filter: 'n = 1' }).waitTask({ timeout: 30_000 });
    expect(refused.status).toBe('failed');

    // While the node is down its shards cannot be compared: skipped, nothing touched.
    const whileDown = await antiEntropy();
    expect(whileDown.skipped).toBeGreaterThan(0);
    expect(whileDown.details.filter((d) => d.skipped === 'replica_unavailable').length).toBe(whileDown.skipped);
    expect(whileDown.written + whileDown.deleted).toBe(0);

    await cluster.nodes[3]!.restart();
    const expected = sorted(model);
    // Group 1 really is behind: it lacks additions, holds old versions and deleted documents.
    const behind = await groupDocs(1);
    expect(behind.has('60')).toBe(false);
    expect(behind.has('20') || behind.has('41')).toBe(true);
    expect(sorted(await groupDocs(0)).map(([id, d]) => [id, withoutReserved(d)])).toEqual(expected);

    const repaired = await antiEntropy();
    expect({ ...repaired, details: repaired.details.filter((d) => d.skipped || 'failed' in d) }).toMatchObject({ shards: 8, skipped: 0, unresolved: 0, details: [] });
    expect(repaired.written).toBeGreaterThan(0);
    expect(repaired.deleted).toBeGreaterThan(0);
    const [g0, g1] = [await groupDocs(0), await groupDocs(1)];
    // Both groups hold exactly what the client was told, stamps and all.
    expect(sorted(g1)).toEqual(sorted(g0));
    expect(sorted(g1).map(([id, d]) => [id, withoutReserved(d)])).toEqual(expected);
    for (const id of ['20', '24', '41', '43', '61']) expect(g1.has(id)).toBe(false);

    // Reads served by group 1 alone agree too; and a second run finds nothing to do.
    await cluster.nodes[0]!.kill9();
    await cluster.nodes[1]!.kill9();
    const page = await index.getDocuments({ limit: 200 });
    expect(page.results.map((d) => withoutReserved(d as Doc)).sort((a, b) => Number(a['id']) - Number(b['id']))).toEqual(
      expected.map(([, d]) => d).sort((a, b) => Number(a['id']) - Number(b['id'])),
    );
    await cluster.nodes[0]!.restart();
    await cluster.nodes[1]!.restart();
    const again = await antiEntropy();
    expect(again).toMatchObject({ shards: 8, skipped: 0, differing: 0, written: 0, deleted: 0, unresolved: 0 });
    expect(again.documents).toBe(model.size);
});

});

describe('runs the API requests', () => {
  beforeAll(startCluster);
  afterAll(stopCluster);

  test('a node that missed writes is repaired soon after it returns, without waiting for the schedule interval (one hour here)', async () => {
    const schedule = temporal.schedule.getHandle(scheduleIds.antiEntropy());
    const index = client.index(UID);
    await client.createIndex(UID, { primaryKey: 'id' }).waitTask({ timeout: 30_000 });
    const seed = Array.from({ length: 40 }, (_, i) => ({ id: i, n: 0 }));
    expect((await index.addDocuments(seed).waitTask({ timeout: 30_000 })).status).toBe('succeeded');
    const runsBefore = (await schedule.describe()).info.recentActions.length;

    await cluster.nodes[3]!.kill9();
    const late = Array.from({ length: 12 }, (_, k) => ({ id: 100 + k, n: 1 }));
    expect((await index.addDocuments(late).waitTask({ timeout: 30_000 })).status).toBe('succeeded');
    expect((await index.deleteDocuments([0, 1, 2, 3]).waitTask({ timeout: 30_000 })).status).toBe('succeeded');
    const lateOnNode3 = async (): Promise<number> => [...(await nodeDocs(3)).keys()].filter((id) => Number(id) >= 100).length;
    await cluster.nodes[3]!.restart();
    expect(await lateOnNode3()).toBe(0);

    // The degraded write (and the node's recovery, if this pod noticed the outage) started a run;
    // group 1 catches up on its own.
    const deadline = Date.now() + 90_000;
    let equal = false;
    while (!equal && Date.now() < deadline) {
      equal = JSON.stringify(sorted(await groupDocs(1))) === JSON.stringify(sorted(await groupDocs(0)));
      if (!equal) await new Promise((r) => setTimeout(r, 500));
    }
    expect(equal).toBe(true);
    expect(await lateOnNode3()).toBeGreaterThan(0);
    const g1 = await groupDocs(1);
    for (const id of ['0', '1', '2', '3']) expect(g1.has(id)).toBe(false);
    expect(g1.size).toBe(40 - 4 + 12);
    expect((await schedule.describe()).info.recentActions.length).toBeGreaterThan(runsBefore);
});
});
