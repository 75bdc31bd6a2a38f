// `kill -9` of the Temporal worker in the middle of a rebalance (a fourth node added to 3, RF=1),
// then a restart: the workflow resumes and completes, and nothing is lost — every document is
// found through Miroir, the new node holds some, and the nodes together hold each document exactly
// once (no leftover copies). Progress is observed on the new node itself (its document count), so
// the check does not depend on the shape of the status route.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, repoRoot } from '@miroir/embedded';
import { startTestNode } from '../../support/node';
import { startTestCluster } from '../../support/cluster';
import { testDir, uniqueSuffix } from '../../support/stack';
import { missingIds, seedIndex, sleep } from '../support';

/** Built rebalance workflow and admin routes (dist/): without both the scenario cannot run. */
export function rebalanceAvailable(): boolean {
  const dist = join(repoRoot(), 'dist');
  const hasWorkflow = existsSync(join(dist, 'workflows', 'rebalance.workflow.js'));
  const adminDir = join(dist, 'apps', 'api', 'src', 'topology-admin');
  const hasRoute = existsSync(adminDir) && readdirSync(adminDir).some((f) => /^rebalance-admin.*\.js$/.test(f));
  return hasWorkflow && hasRoute;
}

async function nodeCount(url: string, key: string, uid: string): Promise<number> {
  const res = await fetch(`${url}/indexes/${uid}/stats`, { headers: { authorization: `Bearer ${key}` } });
  return res.status === 200 ? ((await res.json()) as { numberOfDocuments: number }).numberOfDocuments : 0;
}

export async function workerKillRebalanceScenario(docs: number): Promise<void> {
  // Small pages so the copy takes long enough to be interrupted.
  const cluster = await startTestCluster({ nodes: 3, replicationFactor: 1, env: { MIROIR_REBALANCE__PAGE_SIZE: '50' } });
  const extra = await startTestNode({ httpAddr: `127.0.0.1:${await freePort()}`, dbPath: join(testDir(), `extra-${uniqueSuffix()}`), masterKey: cluster.nodeMasterKey });
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
    const atKill = await nodeCount(extra.url, cluster.nodeMasterKey, uid);
    expect(atKill).toBeGreaterThan(0);
    await cluster.worker()!.kill9();
    await sleep(1_000);
    await cluster.restartWorker();

    // Completion is eventual: the status route reports Temporal's status of the `rebalance` workflow.
    let status: { status?: string; result?: { failed?: number; state?: string } } = {};
    for (let i = 0; i < 1_200 && !['COMPLETED', 'FAILED', 'CANCELED', 'TERMINATED', 'TIMED_OUT'].includes(status.status ?? ''); i++) {
      await sleep(250);
      status = (await (await admin('/_miroir/rebalance/status')).json()) as typeof status;
    }
    expect({ status: status.status, state: status.result?.state, failedMigrations: status.result?.failed }).toEqual({ status: 'COMPLETED', state: 'done', failedMigrations: 0 });

    expect(await missingIds(cluster, uid, seeded.map((d) => d.id))).toEqual([]);
    const perNode = await Promise.all([...cluster.nodes.map((n) => n.url), extra.url].map((u) => nodeCount(u, cluster.nodeMasterKey, uid)));
    expect(perNode[3]).toBeGreaterThan(atKill);
    process.stderr.write(`[chaos] worker kill: killed with ${atKill} documents on the new node, ${perNode[3]} after completion; per node ${perNode.join('/')}\n`);
    expect(perNode.reduce((a, b) => a + b, 0)).toBe(docs); // RF=1: each document on exactly one node
  } finally {
    await extra.stop();
    await cluster.stop();
  }
}
