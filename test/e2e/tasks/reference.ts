// Miroir over three nodes next to one Meilisearch node (the real binary when the run has it, else the
// dev node), driven alike through the official client, for the task and batch suites of issue 14.
import { join } from 'node:path';
import type { Meilisearch } from 'meilisearch';
import { freePort } from '@miroir/embedded';
import type { DevNode } from '@miroir/embedded/dev-node';
import { meiliClient, TASK_WAIT } from '../../support/client';
import { startTestCluster, type TestCluster } from '../../support/cluster';
import { startTestNode } from '../../support/node';
import { meilisearchBin, testDir, uniqueSuffix } from '../../support/stack';

export interface Side {
  name: 'miroir' | 'meilisearch';
  client: Meilisearch;
  /** fetch() against this side with the master key unless headers say otherwise. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** The Meilisearch processes behind this side (its nodes, or the one node). */
  nodeUrls: string[];
}

export interface Pair {
  cluster: TestCluster;
  single: DevNode;
  miroir: Side;
  reference: Side;
  /** The run is on the dev node (MIROIR_TEST_MEILISEARCH_BIN=sim): nodes have the /_sim routes. */
  sim: boolean;
  stop(): Promise<void>;
}

export async function startPair(): Promise<Pair> {
  const sim = meilisearchBin() === undefined;
  // On the dev node, `faults` gives the /_sim routes that hold tasks (see holdTasks); the engine is the same.
  const cluster = await startTestCluster({ nodes: 3, replicationFactor: 2, shards: 8, faults: sim });
  // One master key for both sides, so a key created with the same uid has the same value.
  const single = await startTestNode({
    httpAddr: `127.0.0.1:${await freePort()}`,
    dbPath: join(testDir(), `single-${uniqueSuffix()}`),
    masterKey: cluster.masterKey,
    faults: sim,
  });
  const auth = { authorization: `Bearer ${cluster.masterKey}` };
  const reference: Side = {
    name: 'meilisearch',
    client: meiliClient(single.url, cluster.masterKey),
    request: (path, init = {}) => fetch(`${single.url}${path}`, { ...init, headers: { ...auth, ...(init.headers as Record<string, string>) } }),
    nodeUrls: [single.url],
  };
  const miroir: Side = { name: 'miroir', client: cluster.client(), request: (p, i) => cluster.request(p, i), nodeUrls: cluster.nodes.map((n) => n.url) };
  return {
    cluster,
    single,
    miroir,
    reference,
    sim,
    async stop() {
      await cluster.stop();
      await single.stop();
    },
  };
}

export async function json(res: Response): Promise<{ status: number; body: unknown }> {
  const text = await res.text();
  return { status: res.status, body: text === '' ? '' : (JSON.parse(text) as unknown) };
}

const BIG_BATCH = 100_000;

/**
 * Makes the next writes to `index` on this side wait (enqueued) for a few seconds. On the dev node:
 * its indexing delay. On Meilisearch: a large addition to the same index first, which the nodes
 * index for a second or more while later tasks of the index queue behind it. Returns the uid of
 * that addition (a task of the side too), or null, and a release to call once done.
 */
export async function holdTasks(side: Side, sim: boolean, index: string): Promise<{ blocker: number | null; release: () => Promise<void> }> {
  if (sim) {
    const setDelay = (ms: number) =>
      Promise.all(side.nodeUrls.map((u) => fetch(`${u}/_sim/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ indexingDelayMs: ms }) })));
    await setDelay(4_000);
    return { blocker: null, release: async () => void (await setDelay(0)) };
  }
  const docs = Array.from({ length: BIG_BATCH }, (_, i) => ({ id: i + 1_000_000, title: `filler document number ${i}`, n: i }));
  const task = await side.client.index(index).addDocuments(docs, { primaryKey: 'id' });
  return { blocker: task.taskUid, release: async () => undefined };
}

export { TASK_WAIT };
