// A whole Miroir cluster for end-to-end tests, every part a real process: dev nodes, the worker and
// the API started from dist/ as an operator would start them, against the run's Postgres (a fresh
// database) and Temporal (a fresh task queue).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Meilisearch } from 'meilisearch';
import { freePort, repoRoot, spawnManaged, waitForPort, type ManagedProcess } from '@miroir/embedded';
import type { DevNode } from '@miroir/embedded/dev-node';
import { startTestNode } from './node';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';
import { claimNamespace, createTestDatabase, meilisearchBin, temporalAddress, testDir, uniqueSuffix } from './stack';
import { meiliClient } from './client';

export interface TestClusterOptions {
  /** Number of dev nodes. */
  nodes: number;
  /** Replica groups; nodes are split into contiguous equal groups (RG=2, 4 nodes → 0,0,1,1). */
  groups?: number;
  replicationFactor: number;
  shards?: number;
  writeQuorum?: 'majority' | 'one' | 'all';
  unavailableShards?: 'partial' | 'error';
  /**
   * Start dev nodes with their fault-injection routes (`/_sim/*`: request counts, slow or refused
   * requests). Such a cluster always runs on the dev node, whatever binary the run has.
   */
  faults?: boolean;
  /**
   * Put a TCP proxy in front of every node and give Miroir the proxies' addresses, so a test can
   * slow down or cut off a node of any kind (`cluster.proxies[i]`, see tcp-proxy.ts).
   */
  proxied?: boolean;
  /** Extra environment for the API and worker (e.g. MIROIR_HEALTH__INTERVAL_MS). */
  env?: Record<string, string>;
  /** Start the Temporal worker too (default true). */
  worker?: boolean;
}

export interface ClusterNode extends DevNode {
  id: string;
  group: number;
}

export interface TestCluster {
  url: string;
  masterKey: string;
  adminKey: string;
  nodeMasterKey: string;
  databaseUrl: string;
  taskQueue: string;
  /** The Temporal namespace this cluster's workflows run in (its own). */
  namespace: string;
  /** Directory holding this cluster's logs (api.log, worker.log, node-<i>.log) and node data. */
  logDir: string;
  /** What the nodes are: a real Meilisearch binary or the dev node. */
  engine: 'meilisearch' | 'dev-node';
  nodes: ClusterNode[];
  /** The proxy in front of node i when started with `proxied` (else empty). */
  proxies: TcpProxy[];
  /** The official SDK pointed at Miroir with the master key. */
  client(apiKey?: string): Meilisearch;
  /** The official SDK pointed straight at node i (node master key). */
  nodeClient(i: number): Meilisearch;
  /** fetch() against the API with the master key unless headers say otherwise. */
  request(path: string, init?: RequestInit): Promise<Response>;
  api(): ManagedProcess;
  worker(): ManagedProcess | undefined;
  restartApi(): Promise<void>;
  restartWorker(): Promise<void>;
  /** Another API process (another "pod") on its own port, sharing the database and Temporal. */
  /** Another API process on the same database and nodes; `env` overrides its environment. */
  startExtraApi(env?: NodeJS.ProcessEnv): Promise<{ url: string; process: ManagedProcess }>;
  stop(): Promise<void>;
}

const root = repoRoot();

export async function startTestCluster(opts: TestClusterOptions): Promise<TestCluster> {
  const suffix = uniqueSuffix();
  const dir = join(testDir(), `cluster-${suffix}`);
  mkdirSync(dir, { recursive: true });
  const groups = opts.groups ?? 1;
  const perGroup = Math.ceil(opts.nodes / groups);
  const nodeMasterKey = `node-key-${suffix}-0123456789`;
  const masterKey = `master-key-${suffix}-0123456789`;
  const adminKey = `admin-key-${suffix}-0123456789`;
  const taskQueue = `miroir-test-${suffix}`;
  const namespace = claimNamespace();
  const bin = opts.faults ? undefined : meilisearchBin();

  const nodes: ClusterNode[] = await Promise.all(
    Array.from({ length: opts.nodes }, async (_, i) => {
      const port = await freePort();
      const node = await startTestNode({
        httpAddr: `127.0.0.1:${port}`,
        dbPath: join(dir, `node-${i}`),
        masterKey: nodeMasterKey,
        faults: opts.faults,
        logFile: join(dir, `node-${i}.log`),
      });
      return Object.assign(node, { id: `meili-${i}`, group: Math.floor(i / perGroup) });
    }),
  );

  const proxies = opts.proxied ? await Promise.all(nodes.map((n) => startTcpProxy('127.0.0.1', Number(new URL(n.url).port)))) : [];
  const addressOf = (i: number): string => (opts.proxied ? `http://127.0.0.1:${proxies[i]!.port}` : nodes[i]!.url);
  const databaseUrl = await createTestDatabase();
  const apiPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    MIROIR_ENV: 'development',
    DATABASE_URL: databaseUrl,
    MIROIR_MASTER_KEY: masterKey,
    MIROIR_ADMIN_KEY: adminKey,
    MIROIR_NODE_MASTER_KEY: nodeMasterKey,
    MIROIR_SERVER__PORT: String(apiPort),
    MIROIR_SERVER__METRICS_PORT: '0',
    MIROIR_TEMPORAL__ADDRESS: temporalAddress(),
    MIROIR_TEMPORAL__TASK_QUEUE: taskQueue,
    MIROIR_TEMPORAL__NAMESPACE: namespace,
    MIROIR_CLUSTER__SHARDS: String(opts.shards ?? 64),
    MIROIR_CLUSTER__REPLICATION_FACTOR: String(opts.replicationFactor),
    MIROIR_CLUSTER__REPLICA_GROUPS: String(groups),
    MIROIR_CLUSTER__WRITE_QUORUM: opts.writeQuorum ?? 'majority',
    MIROIR_CLUSTER__UNAVAILABLE_SHARDS: opts.unavailableShards ?? 'partial',
    MIROIR_NODES: JSON.stringify(nodes.map((n, i) => ({ id: n.id, address: addressOf(i), group: n.group }))),
    MIROIR_LOG__LEVEL: 'info',
    ...opts.env,
  };

  const startWorker = (): ManagedProcess =>
    spawnManaged('worker', process.execPath, [join(root, 'dist/apps/worker/src/main.js')], { env, logFile: join(dir, 'worker.log') });
  const startApi = async (port = apiPort, log = 'api.log', extraEnv: NodeJS.ProcessEnv = {}): Promise<ManagedProcess> => {
    const p = spawnManaged('api', process.execPath, [join(root, 'dist/apps/api/src/main.js')], {
      env: { ...env, ...extraEnv, MIROIR_SERVER__PORT: String(port) },
      logFile: join(dir, log),
    });
    extraProcesses.push(p);
    await Promise.race([
      waitForPort('127.0.0.1', port, 60_000),
      p.exited.then((code) => {
        throw new Error(`the API exited during start (code ${code}); see ${join(dir, log)}`);
      }),
    ]);
    return p;
  };

  const extraProcesses: ManagedProcess[] = [];
  let worker = opts.worker === false ? undefined : startWorker();
  let api = await startApi();
  const url = `http://127.0.0.1:${apiPort}`;

  return {
    url,
    masterKey,
    adminKey,
    nodeMasterKey,
    databaseUrl,
    taskQueue,
    namespace,
    logDir: dir,
    engine: bin ? 'meilisearch' : 'dev-node',
    nodes,
    proxies,
    client: (apiKey = masterKey) => meiliClient(url, apiKey),
    nodeClient: (i) => meiliClient(nodes[i]!.url, nodeMasterKey),
    request: (path, init = {}) => {
      const headers = new Headers(init.headers);
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${masterKey}`);
      return fetch(`${url}${path}`, { ...init, headers });
    },
    api: () => api,
    worker: () => worker,
    async restartApi() {
      await api.stop(10_000);
      api = await startApi();
    },
    async restartWorker() {
      await worker?.stop(10_000);
      worker = startWorker();
    },
    async startExtraApi(extraEnv = {}) {
      const port = await freePort();
      const p = await startApi(port, `api-${port}.log`, extraEnv);
      return { url: `http://127.0.0.1:${port}`, process: p };
    },
    async stop() {
      await Promise.all([...extraProcesses.map((p) => p.stop(5_000)), worker?.stop(5_000)]);
      await Promise.all(nodes.map((n) => n.stop()));
      await Promise.all(proxies.map((p) => p.close()));
    },
  };
}
