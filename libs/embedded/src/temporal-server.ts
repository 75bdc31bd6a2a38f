import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SEARCH_ATTRIBUTES } from '@miroir/temporal/search-attributes';
import { connectWithRetry } from '@miroir/temporal/client';
import { spawnManaged, type ManagedProcess } from './managed-process';

export interface TemporalDevServerOptions {
  /** Path of the `temporal` CLI (scripts/ensure.mjs installs one). */
  bin: string;
  port: number;
  /** Web UI port; omit for a headless server (tests). */
  uiPort?: number;
  /** Persist workflow state here; omit for an in-memory server. */
  dbFile?: string;
  logFile?: string;
  startTimeoutMs?: number;
  /** Namespaces to create at start besides `default` (tests give each cluster its own). */
  namespaces?: string[];
}

export interface TemporalDevServer {
  address: string;
  uiUrl?: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/** `temporal server start-dev` with Miroir's search attributes registered. */
export async function startTemporalDevServer(opts: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--log-level', 'warn'];
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort), '--ui-disable-news-fetch');
  else args.push('--headless');
  if (opts.dbFile) {
    mkdirSync(dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
  }
  for (const ns of opts.namespaces ?? []) args.push('--namespace', ns);
  for (const [name, type] of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${name}=${type}`);
  const proc = spawnManaged('temporal', opts.bin, args, { logFile: opts.logFile });
  const address = `127.0.0.1:${opts.port}`;
  try {
    const conn = await Promise.race([
      connectWithRetry(address, opts.startTimeoutMs ?? 60_000),
      proc.exited.then((code) => {
        throw new Error(`temporal server exited during start (code ${code})${opts.logFile ? `; see ${opts.logFile}` : ''}`);
      }),
    ]);
    // The frontend may accept connections before the default namespace is ready.
    const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
    for (;;) {
      try {
        await conn.workflowService.describeNamespace({ namespace: 'default' });
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    await conn.close();
  } catch (err) {
    await proc.stop(2_000);
    throw err;
  }
  return {
    address,
    uiUrl: opts.uiPort ? `http://127.0.0.1:${opts.uiPort}` : undefined,
    process: proc,
    stop: () => proc.stop(10_000),
  };
}
