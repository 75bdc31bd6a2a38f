import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

// Arbitrary constant shared by every Miroir process: the advisory lock serialising migrations when
// the API and the worker (or several pods) start at once.
const MIGRATION_LOCK_KEY = 0x6d69726f; // "miro"

export interface StoreOptions {
  poolSize?: number;
  applicationName?: string;
  /**
   * Bounds on waiting for Postgres, for processes that answer clients (the API): acquiring a pooled
   * connection and one query. Without them a partition from Postgres (connections that hang rather
   * than fail) hangs every request that touches the database. Unset: no bound (the worker, whose
   * activities have Temporal timeouts and retries).
   */
  connectTimeoutMs?: number;
  queryTimeoutMs?: number;
}

export function createDataSource(url: string, opts: StoreOptions = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'miroir_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: {
      max: opts.poolSize ?? 10,
      application_name: opts.applicationName ?? 'miroir',
      keepAlive: true,
      ...(opts.connectTimeoutMs !== undefined ? { connectionTimeoutMillis: opts.connectTimeoutMs } : {}),
      ...(opts.queryTimeoutMs !== undefined ? { query_timeout: opts.queryTimeoutMs } : {}),
    },
  });
}

/**
 * Applies pending migrations under a Postgres advisory lock, so concurrent starts apply each
 * migration exactly once. Returns the names of the migrations this call applied.
 */
export async function runMigrations(ds: DataSource): Promise<string[]> {
  const lockRunner = ds.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await lockRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lockRunner.release();
  }
}

/** Connects and migrates: what every Miroir process does at start. */
export async function openStore(url: string, opts: StoreOptions = {}): Promise<DataSource> {
  const ds = createDataSource(url, opts);
  await ds.initialize();
  try {
    await runMigrations(ds);
  } catch (err) {
    await ds.destroy().catch(() => undefined);
    throw err;
  }
  return ds;
}
