// `kill -9` of the Temporal worker in the middle of a rebalance (a fourth node added to 3, RF=1),
// then a restart: the workflow resumes and completes, and nothing is lost — every document is
// found through Miroir, the new node holds some, and the nodes together hold each document exactly
// once (no leftover copies). Progress is observed on the new node itself (its document count), so
// the check does not depend on the shape of the status route.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, repoRoot } from '@miroir/embedded';
import { startDevNode } from '@miroir/embedded/dev-node';
import { startTestCluster } from '../../support/cluster';
import { testDir, uniqueSuffix } from '../../support/stack';
import { missingIds, seedIndex, sleep } from '../support';

/** Built rebalance workflow and admin route: without both the scenario cannot run. */
export function rebalanceAvailable(): boolean {
  const dist = join(repoRoot(), 'dist');
  const workflows = join(dist, 'workflows');
  const hasWorkflow = existsSync(workflows) && readdirSync(workflows).some((f) => /^rebalance.*\.js$/.test(f));
  const adminDir = join(dist, 'apps', 'api', 'src', 'admin');
  const hasRoute = existsSync(adminDir) && readdirSync(adminDir).some((f) => /rebalance.*\.js$/.test(f));
  return hasWorkflow && hasRoute;
}

async function nodeCount(url: string, key: string, uid: string): Promise<number> {
  const res = await fetch(`${url}/indexes/${uid}/stats`, { headers: { authorization: `Bearer ${key}` } });
  return res.status === 200 ? ((await res.json()) as { numberOfDocuments: number }).numberOfDocuments : 0;
}

export async function workerKillRebalanceScenario(docs: number): Promise<void> {
  // Small pages so the copy takes long enough to be interrupted.
  const cluster = await startTestCluster({ nodes: 3, replicationFactor: 1, env: { MIROIR_REBALANCE__PAGE_SIZE: '50' } });
  const extra = await startDevNode({ httpAddr: `127.0.0.1:${await freePort()}`, dbPath: join(testDir(), `extra-${uniqueSuffix()}`), masterKey: cluster.nodeMasterKey });
  try {
    const uid = 'rebal';
    const seeded = await seedIndex(cluster, uid, docs);
    const admin = (path: string, body?: unknown) =>
      fetch(`${cluster.url}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'x-admin-key': cluster.adminKey, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect((await admin('/_miroir/nodes', { id: 'meili-3', address: extra.url, group: 0 })).status).toBeLessThan(300);
    expect((await admin('/_miroir/rebalance', {})).status).toBeLessThan(300);

    // Mid-copy: the new node has received some documents.
    for (let i = 0; i < 600 && (await nodeCount(extra.url, cluster.nodeMasterKey, uid)) === 0; i++) await sleep(100);
    expect(await nodeCount(extra.url, cluster.nodeMasterKey, uid)).toBeGreaterThan(0);
    await cluster.worker()!.kill9();
    await sleep(1_000);
    await cluster.restartWorker();

    // Completion is eventual: the status route reports a terminal state.
    let status: Record<string, unknown> = {};
    for (let i = 0; i < 1_200; i++) {
      status = (await (await admin('/_miroir/rebalance/status')).json()) as Record<string, unknown>;
      const s = String(status.status ?? status.state ?? '').toLowerCase();
      if (['completed', 'succeeded', 'done', 'idle', 'failed', 'canceled', 'cancelled', 'terminated'].includes(s) || status.running === false) break;
      await sleep(250);
    }
    expect(String(status.status ?? status.state ?? '').toLowerCase()).not.toMatch(/fail|cancel|terminat/);

    expect(await missingIds(cluster, uid, seeded.map((d) => d.id))).toEqual([]);
    const perNode = await Promise.all([...cluster.nodes.map((n) => n.url), extra.url].map((u) => nodeCount(u, cluster.nodeMasterKey, uid)));
    expect(perNode[3]).toBeGreaterThan(0);
    expect(perNode.reduce((a, b) => a + b, 0)).toBe(docs); // RF=1: each document on exactly one node
  } finally {
    await extra.stop();
    await cluster.stop();
  }
}
