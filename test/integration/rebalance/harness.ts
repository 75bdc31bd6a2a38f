// A small cluster for the rebalance suites: real Postgres and Temporal from the global setup, dev
// nodes as processes, the index seeded straight onto its owners (no API), and a worker either
// in-process or as a `node dist/apps/worker/src/main.js` child that can be killed with -9.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { buildShardTable, routeDocuments, type Topology, type MigrationRoute } from '@miroir/core';
import { NodeClient } from '@miroir/meili';
import { changeTopology, IndexRecord, listMigrations, loadTopology, NodeRecord, openStore, seedTopology, toMigrationRoute, type NodeStateColumn } from '@miroir/store';
import { freePort, repoRoot, spawnManaged, type ManagedProcess } from '@miroir/embedded';
import type { DevNode } from '@miroir/embedded/dev-node';
import { startTestNode } from '../../support/node';
import { createMiroirWorker } from '../../../apps/worker/src/worker';
import { claimNamespace, createTestDatabase, temporalAddress, testDir, uniqueSuffix } from '../../support/stack';
import { waitFor as pollUntil } from '../../support/wait-for';

export const INDEX = 'books';
// Few shards keep the number of migrations (each a handful of node tasks) small: these suites
// check correctness, and a real node under CI load takes seconds per task.
export const SHARDS = 16;

export interface Harness {
  ds: DataSource;
  databaseUrl: string;
  client: Client;
  taskQueue: string;
  masterKey: string;
  nodes: Map<string, DevNode>;
  corpus: number;
  nodeClient(id: string): NodeClient;
  addNode(id: string, state: NodeStateColumn, group?: number): Promise<void>;
  setState(id: string, state: NodeStateColumn): Promise<void>;
  startWorker(): Promise<void>;
  spawnWorker(): ManagedProcess;
  /** kill -9 of the spawned worker process. */
  killWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  topology(): Promise<Topology>;
  stop(): Promise<void>;
}

export async function startHarness(opts: { nodes: number; documents: number; replicationFactor?: number }): Promise<Harness> {
  const suffix = uniqueSuffix();
  const dir = join(testDir(), `rebalance-${suffix}`);
  mkdirSync(dir, { recursive: true });
  const masterKey = `node-key-${suffix}-0123456789`;
  const taskQueue = `rebalance-${suffix}`;
  const namespace = claimNamespace();
  const databaseUrl = await createTestDatabase();
  const ds = await openStore(databaseUrl);
  const nodes = new Map<string, DevNode>();
  const clients = new Map<string, NodeClient>();
  const launch = async (id: string): Promise<DevNode> => {
    const port = await freePort();
    const node = await startTestNode({ httpAddr: `127.0.0.1:${port}`, dbPath: join(dir, id), masterKey, logFile: join(dir, `${id}.log`) });
    nodes.set(id, node);
    clients.set(id, new NodeClient({ id, address: node.url }, { masterKey, timeoutMs: 10_000 }));
    return node;
  };
  const ids = Array.from({ length: opts.nodes }, (_, i) => `meili-${i}`);
  await Promise.all(ids.map(launch));
  await seedTopology(ds, {
    replicationFactor: opts.replicationFactor ?? 1,
    replicaGroups: 1,
    nodes: ids.map((id) => ({ id, address: nodes.get(id)!.url, group: 0 })),
  });
  const nodeClient = (id: string): NodeClient => clients.get(id)!;
  await createIndexOn(ids.map(nodeClient));
  const topology = await currentTopology(ds);
  const docs = corpus(opts.documents);
  const routed = routeDocuments(docs, 'id', buildShardTable(topology, SHARDS));
  await Promise.all(
    [...routed.batches].map(async ([id, batch]) => {
      const c = nodeClient(id);
      const task = await c.addDocuments(INDEX, JSON.stringify(batch), { contentType: 'application/json', replace: true });
      await expectTask(c, task.taskUid);
    }),
  );
  await ds.getRepository(IndexRecord).save({ uid: INDEX, primaryKey: 'id', shards: SHARDS, state: 'ready' });

  const client = new Client({ connection: await Connection.connect({ address: temporalAddress() }), namespace });
  let worker: { w: Worker; running: Promise<void>; conn: NativeConnection } | undefined;
  let child: ManagedProcess | undefined;

  const h: Harness = {
    ds,
    databaseUrl,
    client,
    taskQueue,
    masterKey,
    nodes,
    corpus: opts.documents,
    nodeClient,
    async addNode(id, state, group = 0) {
      const node = await launch(id);
      await changeTopology(ds, (tx) => tx.insert(NodeRecord, { id, address: node.url, group, state }));
    },
    async setState(id, state) {
      await changeTopology(ds, (tx) => tx.update(NodeRecord, { id }, { state }));
    },
    async startWorker() {
      const conn = await NativeConnection.connect({ address: temporalAddress() });
      const w = await createMiroirWorker({ connection: conn, namespace, taskQueue, ds, nodeClients: { masterKey }, rebalance: { max_concurrent_migrations: 2, page_size: 100 } });
      worker = { w, conn, running: w.run() };
    },
    spawnWorker() {
      const root = repoRoot();
      child = spawnManaged('worker', process.execPath, [join(root, 'dist/apps/worker/src/main.js')], {
        env: {
          PATH: process.env.PATH,
          MIROIR_ENV: 'development',
          DATABASE_URL: databaseUrl,
          MIROIR_NODE_MASTER_KEY: masterKey,
          MIROIR_TEMPORAL__ADDRESS: temporalAddress(),
          MIROIR_TEMPORAL__TASK_QUEUE: taskQueue,
          MIROIR_TEMPORAL__NAMESPACE: namespace,
          MIROIR_NODES: JSON.stringify([...nodes].map(([id, n]) => ({ id, address: n.url, group: 0 }))),
          MIROIR_LOG__LEVEL: 'info',
        },
        logFile: join(dir, 'worker.log'),
      });
      return child;
    },
    async killWorker() {
      await child?.kill9();
      child = undefined;
    },
    async stopWorker() {
      if (worker) {
        worker.w.shutdown();
        await worker.running;
        await worker.conn.close();
        worker = undefined;
      }
      if (child) {
        await child.stop(5_000);
        child = undefined;
      }
    },
    topology: () => currentTopology(ds),
    async stop() {
      await h.stopWorker().catch(() => undefined);
      await client.connection.close().catch(() => undefined);
      await Promise.all([...clients.values()].map((c) => c.close().catch(() => undefined)));
      await Promise.all([...nodes.values()].map((n) => n.stop().catch(() => undefined)));
      await ds.destroy().catch(() => undefined);
    },
  };
  return h;
}

async function createIndexOn(clients: NodeClient[]): Promise<void> {
  await Promise.all(
    clients.map(async (c) => {
      await expectTask(c, (await c.createIndex(INDEX, 'id')).taskUid);
      await expectTask(c, (await c.updateSettings(INDEX, { filterableAttributes: ['_miroir_shard', 'genre'] })).taskUid);
    }),
  );
}

async function expectTask(c: NodeClient, taskUid: number): Promise<void> {
  const t = await c.waitForTask(taskUid, { timeoutMs: 60_000 });
  if (t.status !== 'succeeded') throw new Error(`task ${taskUid} on ${c.id}: ${JSON.stringify(t.error)}`);
}

function corpus(n: number): Array<Record<string, unknown>> {
  const genres = ['poetry', 'novel', 'essay', 'drama'];
  return Array.from({ length: n }, (_, i) => ({ id: `book-${i}`, title: `Title ${i}`, genre: genres[i % genres.length], year: 1900 + (i % 120) }));
}

export async function currentTopology(ds: DataSource): Promise<Topology> {
  const t = await loadTopology(ds);
  if (!t) throw new Error('no topology');
  return { version: t.version, replicationFactor: t.replicationFactor, groups: t.replicaGroups, nodes: t.nodes };
}

/** Every document id of the index on one node, with its shard. */
export async function documentsOn(c: NodeClient): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let offset = 0; ; offset += 1000) {
    const page = await c.getDocuments(INDEX, { offset, limit: 1000, fields: ['id', '_miroir_shard'] }).catch((err: { code?: string }) => {
      if (err.code === 'index_not_found') return { results: [], total: 0, offset, limit: 1000 };
      throw err;
    });
    for (const d of page.results) out.set(String(d.id), Number(d._miroir_shard));
    if (page.results.length < 1000) return out;
  }
}

/**
 * Checks every node holds exactly the documents its shards say, under the current topology and the
 * migration rows still in the table; returns the per-node counts. Throws with the first problems.
 */
export async function expectExactPlacement(h: Harness): Promise<Record<string, number>> {
  const topology = await h.topology();
  const routes: MigrationRoute[] = (await listMigrations(h.ds, INDEX)).map(toMigrationRoute);
  const table = buildShardTable(topology, SHARDS, routes);
  const problems: string[] = [];
  const counts: Record<string, number> = {};
  const seen = new Map<string, number>();
  for (const [id] of h.nodes) {
    const docs = await documentsOn(h.nodeClient(id));
    counts[id] = docs.size;
    for (const [doc, shard] of docs) {
      if (!table.owners(0, shard).includes(id)) problems.push(`${id} holds ${doc} of shard ${shard} owned by ${table.owners(0, shard).join(',')}`);
      else seen.set(doc, (seen.get(doc) ?? 0) + 1);
    }
  }
  const rf = topology.replicationFactor;
  for (let i = 0; i < h.corpus; i++) {
    const n = seen.get(`book-${i}`) ?? 0;
    if (n !== rf) problems.push(`book-${i} found on ${n} owner(s), expected ${rf}`);
  }
  if (problems.length > 0) throw new Error(`${problems.length} placement problems, first: ${problems.slice(0, 5).join('; ')}`);
  return counts;
}

/** The shared poller, polling every 100 ms here: migrations move quickly in these tests. */
export const waitFor = <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000, everyMs = 100): Promise<T> =>
  pollUntil(what, fn, timeoutMs, everyMs);
