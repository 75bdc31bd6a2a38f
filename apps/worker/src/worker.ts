import { resolve } from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createActivities } from '../../../activities';
import { WorkerNodeClients, type WorkerNodeClientsOptions } from '../../../activities/node-clients';

export interface MiroirWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  ds: DataSource;
  /** How activities reach the Meilisearch nodes (the node master key above all). */
  nodeClients?: WorkerNodeClientsOptions;
  /** Config `rebalance`: defaults of the rebalance and shard-migration workflows. */
  rebalance?: { max_concurrent_migrations: number; page_size: number; grace_ms?: number };
}

const REPO_ROOT = resolve(__dirname, '../../..');

/**
 * Workflow code is bundled by Temporal's webpack. From dist/ the aliases are already rewritten to
 * relative paths; from source (tests) webpack needs the same aliases tsconfig declares.
 */
const LIB_ALIASES: Record<string, string> = Object.fromEntries(
  ['core', 'meili', 'store', 'config', 'temporal', 'embedded'].map((lib) => [`@miroir/${lib}`, resolve(REPO_ROOT, 'libs', lib, 'src')]),
);

export async function createMiroirWorker(opts: MiroirWorkerOptions): Promise<Worker> {
  const workerOptions: WorkerOptions = {
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    workflowsPath: resolve(__dirname, '../../../workflows'),
    activities: createActivities({ ds: opts.ds, nodes: new WorkerNodeClients(opts.ds, opts.nodeClients ?? {}), rebalance: opts.rebalance }),
    bundlerOptions: {
      webpackConfigHook: (config) => ({
        ...config,
        resolve: { ...config.resolve, alias: { ...(config.resolve?.alias as Record<string, string>), ...LIB_ALIASES } },
      }),
    },
  };
  return Worker.create(workerOptions);
}
