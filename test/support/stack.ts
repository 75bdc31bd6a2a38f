import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';

/** Address of the run's Temporal dev server (started by global-setup). */
export function temporalAddress(): string {
  const v = process.env.MIROIR_TEST_TEMPORAL_ADDRESS;
  if (!v) throw new Error('MIROIR_TEST_TEMPORAL_ADDRESS unset: run this suite through jest with its global setup');
  return v;
}

/** Directory for this run's scratch files (node data, logs). */
export function testDir(): string {
  const v = process.env.MIROIR_TEST_DIR;
  if (!v) throw new Error('MIROIR_TEST_DIR unset: run this suite through jest with its global setup');
  return v;
}

/** A short random suffix for database names, task queues and index uids. */
export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

/** Creates an empty database on the run's Postgres and returns its connection string. */
export async function createTestDatabase(prefix = 'miroir_test'): Promise<string> {
  const admin = process.env.MIROIR_TEST_PG_URL;
  if (!admin) throw new Error('MIROIR_TEST_PG_URL unset: run this suite through jest with its global setup');
  const name = `${prefix}_${uniqueSuffix()}`;
  const client = new PgClient({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}
