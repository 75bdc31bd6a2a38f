import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
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

/**
 * A Temporal namespace no other cluster of this run uses (created at start by global-setup):
 * Miroir's workflow ids are fixed, so clusters sharing a namespace would signal each other's
 * workflows. Claimed with an exclusive-create marker file, safe across jest worker processes.
 */
export function claimNamespace(): string {
  const pool = (process.env.MIROIR_TEST_NAMESPACES ?? '').split(',').filter(Boolean);
  const dir = join(testDir(), 'namespaces');
  mkdirSync(dir, { recursive: true });
  for (const ns of pool) {
    try {
      closeSync(openSync(join(dir, ns), 'wx'));
      return ns;
    } catch {
      /* claimed by another cluster */
    }
  }
  throw new Error(`all ${pool.length} test namespaces are in use; raise NAMESPACE_POOL in test/support/global-setup.ts`);
}

/**
 * The real Meilisearch binary this run's clusters use, or undefined for the dev node (decided once
 * by global-setup; see docs/testing.md).
 */
export function meilisearchBin(): string | undefined {
  const v = process.env.MIROIR_TEST_MEILISEARCH_BIN;
  return v && v !== 'sim' ? v : undefined;
}
