// Benchmarks run outside jest, so they start their own stack the way an operator would: one
// embedded Postgres and one Temporal dev server for the whole bench process, then per measured
// configuration a set of nodes plus a Miroir worker and API (from dist/) with their own database
// and task queue — the same environment test/support/cluster.ts builds for the tests.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  DEV_NODE_SENTINEL,
  findMeilisearchBinary,
  freePort,
  meilisearchVersion,
  workspaceMeilisearchBinary,
  repoRoot,
  spawnManaged,
  startEmbeddedPostgres,
  startTemporalDevServer,
  waitForPort,
  type EmbeddedPostgres,
  type ManagedProcess,
  type TemporalDevServer,
} from '@miroir/embedded';
import { startDevNode, type DevNode } from '@miroir/embedded/dev-node';
import { strArg } from './cli';

export const NODE_KEY = 'bench-node-key-0123456789abcdef';
export const MASTER_KEY = 'bench-master-key-0123456789abcdef';
export const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';

const root = repoRoot();
const NAMESPACES = ['bench-1', 'bench-2', 'bench-3', 'bench-4'];
let nextNamespace = 0;

export interface Infra {
  dir: string;
  pg: EmbeddedPostgres;
  temporal: TemporalDevServer;
  stop(): Promise<void>;
}

/** Postgres + Temporal under .miroir/bench/run-<pid>/ (removed on stop). */
export async function startInfra(): Promise<Infra> {
  const dir = join(root, '.miroir', 'bench', `run-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const ensure = spawnSync(process.execPath, [join(root, 'scripts', 'ensure.mjs'), 'temporal'], { encoding: 'utf8' });
  const bin = ensure.stdout.trim().split('\n').pop();
  if (ensure.status !== 0 || !bin) throw new Error(`could not find the temporal CLI: ${ensure.stderr}`);
  const [pgPort, temporalPort] = [await freePort(), await freePort()];
  const [pg, temporal] = await Promise.all([
    startEmbeddedPostgres({ dataDir: join(dir, 'postgres'), port: pgPort, logFile: join(dir, 'postgres.log') }),
    // Miroir's workflow ids are fixed (`rebalance`, `settings:{index}`): each measured cluster
    // gets a namespace of its own so clusters started by one bench never collide.
    startTemporalDevServer({ bin, port: temporalPort, logFile: join(dir, 'temporal.log'), namespaces: NAMESPACES }),
  ]);
  return {
    dir,
    pg,
    temporal,
    async stop() {
      await Promise.all([temporal.stop(), pg.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const BIN_ENV = 'MIROIR_BENCH_MEILISEARCH_BIN';

export interface NodeKind {
  /** A real meilisearch binary; undefined → the dev node (test/meili-sim). */
  bin?: string;
  /** What the figures were measured on, e.g. "Meilisearch 1.50.0 (/path)" or "dev node". */
  label: string;
}

let nodeKind: NodeKind | undefined;

/**
 * What every node of a benchmark runs — Miroir's nodes and the `direct` baseline alike, decided
 * once so a ratio never compares a real node with the dev node. `--bin PATH` (or `--bin sim`),
 * else MIROIR_BENCH_MEILISEARCH_BIN (same values), else `meilisearch` on the PATH or the binary
 * shared next to the checkout, else the dev node. The published figures are real-node figures
 * (docs/benchmarks.md); the dev node stays available to compare with the earlier runs.
 */
export function benchNodes(): NodeKind {
  if (nodeKind) return nodeKind;
  const asked = strArg('bin');
  let bin: string | undefined;
  if (asked === DEV_NODE_SENTINEL) bin = undefined;
  else if (asked !== undefined) {
    const path = asked.includes('/') ? resolve(asked) : asked;
    // Only this variable: a `--bin` that does not run must fail, not fall back to the PATH.
    try {
      bin = findMeilisearchBinary({ [BIN_ENV]: path }, BIN_ENV);
    } catch {
      throw new Error(`--bin ${asked}: "${path} --version" failed`);
    }
  } else bin = findMeilisearchBinary(process.env, BIN_ENV, [workspaceMeilisearchBinary()]);
  nodeKind = bin ? { bin, label: `Meilisearch ${meilisearchVersion(bin)} (${bin})` } : { label: 'dev node' };
  return nodeKind;
}

export interface NodeSet {
  nodes: (DevNode & { id: string })[];
  stop(): Promise<void>;
}

/**
 * `count` nodes of the benchmark's kind (benchNodes). Fault injection exists only on the dev node,
 * so `faults` always starts dev nodes, whatever the benchmark's kind.
 */
export async function startNodes(dir: string, count: number, faults = false): Promise<NodeSet> {
  const bin = faults ? undefined : benchNodes().bin;
  const nodes = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const port = await freePort();
      const node = await startDevNode({
        httpAddr: `127.0.0.1:${port}`,
        dbPath: join(dir, `node-${i}`),
        masterKey: NODE_KEY,
        bin,
        faults,
        logFile: join(dir, `node-${i}.log`),
      });
      return Object.assign(node, { id: `meili-${i}` });
    }),
  );
  return { nodes, stop: async () => void (await Promise.all(nodes.map((n) => n.stop()))) };
}

export interface MiroirOptions {
  name: string;
  nodes: number;
  replicationFactor: number;
  shards?: number;
  /** Extra `node` flags for the API process (e.g. --cpu-prof). */
  apiNodeArgs?: string[];
  /** Start dev nodes (never real ones) with fault injection and request counters (/_sim/*). */
  faults?: boolean;
  env?: Record<string, string>;
}

export interface Miroir {
  url: string;
  dir: string;
  /** The Temporal namespace and task queue its worker uses (to start workflows directly). */
  namespace: string;
  taskQueue: string;
  /** The current API process (replaced by restartApi). */
  readonly api: ManagedProcess;
  worker: ManagedProcess;
  nodes: NodeSet['nodes'];
  /** Stops the API (SIGTERM) and starts it again, e.g. with --cpu-prof once the data is loaded. */
  restartApi(nodeArgs?: string[]): Promise<void>;
  stop(): Promise<void>;
}

/** Nodes + worker + API for one measured configuration, in `infra.dir/<name>/`. */
export async function startMiroir(infra: Infra, opts: MiroirOptions): Promise<Miroir> {
  const dir = join(infra.dir, opts.name);
  mkdirSync(dir, { recursive: true });
  const set = await startNodes(dir, opts.nodes, opts.faults);
  const db = await infra.pg.createDatabase(`bench_${opts.name.replace(/\W/g, '_')}_${Date.now()}`);
  const port = await freePort();
  const namespace = NAMESPACES[nextNamespace++ % NAMESPACES.length]!;
  const taskQueue = `bench-${opts.name}-${Date.now()}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    MIROIR_ENV: 'development',
    DATABASE_URL: db,
    MIROIR_MASTER_KEY: MASTER_KEY,
    MIROIR_ADMIN_KEY: ADMIN_KEY,
    MIROIR_NODE_MASTER_KEY: NODE_KEY,
    MIROIR_SERVER__PORT: String(port),
    MIROIR_SERVER__METRICS_PORT: '0',
    MIROIR_TEMPORAL__ADDRESS: infra.temporal.address,
    MIROIR_TEMPORAL__NAMESPACE: namespace,
    MIROIR_TEMPORAL__TASK_QUEUE: taskQueue,
    MIROIR_CLUSTER__SHARDS: String(opts.shards ?? 64),
    MIROIR_CLUSTER__REPLICATION_FACTOR: String(opts.replicationFactor),
    MIROIR_CLUSTER__REPLICA_GROUPS: '1',
    MIROIR_NODES: JSON.stringify(set.nodes.map((n) => ({ id: n.id, address: n.url, group: 0 }))),
    // Logging every request would be part of the measured cost; warn keeps errors visible.
    MIROIR_LOG__LEVEL: 'warn',
    ...opts.env,
  };
  const worker = spawnManaged('worker', process.execPath, [join(root, 'dist/apps/worker/src/main.js')], { env, logFile: join(dir, 'worker.log') });
  const startApi = async (nodeArgs: string[]): Promise<ManagedProcess> => {
    const p = spawnManaged('api', process.execPath, [...nodeArgs, join(root, 'dist/apps/api/src/main.js')], { env, cwd: dir, logFile: join(dir, 'api.log') });
    await Promise.race([
      waitForPort('127.0.0.1', port, 60_000),
      p.exited.then((code) => {
        throw new Error(`the API exited during start (code ${code}); see ${join(dir, 'api.log')}`);
      }),
    ]);
    return p;
  };
  let api: ManagedProcess;
  try {
    api = await startApi(opts.apiNodeArgs ?? []);
  } catch (err) {
    await Promise.all([worker.stop(2_000), set.stop()]);
    throw err;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    dir,
    namespace,
    taskQueue,
    get api() {
      return api;
    },
    worker,
    nodes: set.nodes,
    async restartApi(nodeArgs = []) {
      await api.stop(15_000);
      api = await startApi(nodeArgs);
    },
    async stop() {
      // SIGTERM with a grace period so a --cpu-prof API writes its profile on exit.
      await Promise.all([api.stop(15_000), worker.stop(5_000)]);
      await set.stop();
    },
  };
}
