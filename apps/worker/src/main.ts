import 'reflect-metadata';
import { NativeConnection } from '@temporalio/worker';
import { createLogger, loadConfig, redactSecrets, runMain, ConfigError } from '@miroir/config';
import { openStore } from '@miroir/store';
import { Client } from '@temporalio/client';
import { connectWithRetry, ensureSearchAttributes } from '@miroir/temporal';
import { createMiroirWorker } from './worker';
import { ensureSchedules } from './schedules';

runMain('miroir-worker', async () => {
  const { config, secrets } = loadConfig();
  const log = createLogger('miroir-worker', config.log.level);
  if (!secrets.databaseUrl) throw new ConfigError('config error: DATABASE_URL: the worker needs a Postgres connection string');
  const ds = await openStore(secrets.databaseUrl, { applicationName: 'miroir-worker' }).catch((err: Error) => {
    throw new Error(`cannot open the database: ${redactSecrets(err.message, secrets)}`);
  });
  const clientConnection = await connectWithRetry(config.temporal.address, 30_000);
  const client = new Client({ connection: clientConnection, namespace: config.temporal.namespace });
  // Connected above with retries, so Temporal is up: the worker's native connection can follow.
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const added = await ensureSearchAttributes(clientConnection, config.temporal.namespace);
  if (added.length) log.info({ added }, 'registered search attributes');
  await ensureSchedules(client, config);
  const worker = await createMiroirWorker({ connection, namespace: config.temporal.namespace, taskQueue: config.temporal.task_queue, ds, nodeClients: { masterKey: secrets.nodeMasterKey, timeoutMs: config.node_client.timeout_ms }, rebalance: config.rebalance });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      log.info({ signal: sig }, 'shutting down');
      worker.shutdown();
    });
  }
  log.info({ taskQueue: config.temporal.task_queue, temporal: config.temporal.address }, 'worker started');
  await worker.run();
  await connection.close();
  await clientConnection.close();
  await ds.destroy();
  log.info('worker stopped');
});
