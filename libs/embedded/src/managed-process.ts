import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** Resolves with the exit code (or null after a signal) once the process has exited. */
  readonly exited: Promise<number | null>;
  /** The stop signal (SIGTERM by default), then SIGKILL after `graceMs`; resolves when gone. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL, as `kill -9` would. */
  kill9(): Promise<void>;
  isRunning(): boolean;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Append stdout and stderr here; otherwise they are inherited when `inherit`, else dropped. */
  logFile?: string;
  inherit?: boolean;
  /** Run as this user (when the supervisor is root, e.g. Postgres as `postgres`). */
  uid?: number;
  gid?: number;
  /** Signal for a graceful stop; Postgres wants SIGINT (fast shutdown), most others SIGTERM. */
  stopSignal?: NodeJS.Signals;
}

/**
 * Starts a long-lived child in its own process group, so a terminal Ctrl-C reaches only the
 * supervisor, which then stops children in order (API before nodes before databases).
 */
export function spawnManaged(name: string, command: string, args: string[], opts: SpawnOptions = {}): ManagedProcess {
  let stdio: 'inherit' | 'ignore' | 'pipe' = 'ignore';
  if (opts.logFile) stdio = 'pipe';
  else if (opts.inherit) stdio = 'inherit';
  const child: ChildProcess = spawn(command, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', stdio, stdio],
    detached: true,
    uid: opts.uid,
    gid: opts.gid,
  });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  if (opts.logFile) {
    mkdirSync(dirname(opts.logFile), { recursive: true });
    const log = createWriteStream(opts.logFile, { flags: 'a' });
    // Two sources into one file: neither may end it (stdout often closes while stderr still has
    // data, and a write after end is an uncaught 'error' that takes the launcher down with it);
    // the file is closed once the child's streams have all closed.
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    child.once('close', () => log.end());
    // A log that cannot be written must not stop the process it records.
    log.on('error', () => undefined);
  }
  let running = true;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      running = false;
      resolve(code);
    });
    child.once('error', () => {
      running = false;
      resolve(null);
    });
  });
  const pid = child.pid;
  const signalGroup = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
  };
  return {
    name,
    pid,
    exited,
    isRunning: () => running,
    async stop(graceMs = 10_000) {
      if (!running) return;
      signalGroup(opts.stopSignal ?? 'SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    async kill9() {
      if (!running) return;
      signalGroup('SIGKILL');
      await exited;
    },
  };
}
