import 'reflect-metadata';
import { NativeConnection } from '@temporalio/worker';
import { createLogger, loadConfig, redactSecrets, runMain, ConfigError } from '@miroir/config';
import { openStore } from '@miroir/store';
import { createTemporalClient } from '@miroir/temporal';
import { createMiroirWorker } from './worker';
import { ensureSchedules } from './schedules';

runMain('miroir-worker', async () => {
  const { config, secrets } = loadConfig();
  const log = createLogger('miroir-worker', config.log.level);
  if (!secrets.databaseUrl) throw new ConfigError('config error: DATABASE_URL: the worker needs a Postgres connection string');
  const ds = await openStore(secrets.databaseUrl, { applicationName: 'miroir-worker' }).catch((err: Error) => {
    throw new Error(`cannot open the database: ${redactSecrets(err.message, secrets)}`);
  });
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const client = await createTemporalClient({ address: config.temporal.address, namespace: config.temporal.namespace });
  await ensureSchedules(client, config);
  const worker = await createMiroirWorker({ connection, namespace: config.temporal.namespace, taskQueue: config.temporal.task_queue, ds });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      log.info({ signal: sig }, 'shutting down');
      worker.shutdown();
    });
  }
  log.info({ taskQueue: config.temporal.task_queue, temporal: config.temporal.address }, 'worker started');
  await worker.run();
  await connection.close();
  await client.connection.close();
  await ds.destroy();
  log.info('worker stopped');
});
