// `node dist/apps/worker/src/migrate.js`: applies pending database migrations and exits. The API and
// the worker also migrate at start; this is for deployments that run migrations as their own step.
import { ConfigError, loadConfig, redactSecrets, runMain } from '@miroir/config';
import { createDataSource, runMigrations } from '@miroir/store';

runMain('miroir-migrate', async () => {
  const { secrets } = loadConfig();
  if (!secrets.databaseUrl) throw new ConfigError('config error: DATABASE_URL: migrations need a Postgres connection string');
  const ds = createDataSource(secrets.databaseUrl, { applicationName: 'miroir-migrate' });
  try {
    await ds.initialize();
    const applied = await runMigrations(ds);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
  } catch (err) {
    throw new Error(`migration failed: ${redactSecrets((err as Error).message, secrets)}`);
  } finally {
    if (ds.isInitialized) await ds.destroy();
  }
});
