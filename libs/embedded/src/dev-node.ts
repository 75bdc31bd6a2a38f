// Starts a Meilisearch-compatible node as a separate process: a real `meilisearch` binary when
// `bin` is given, otherwise the project's dev node (dist/test/meili-sim/main.js). Used by the dev
// stack launcher and by every test that needs nodes it can kill -9 and restart.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from './repo-root';

export interface DevNodeOptions {
  /** HOST:PORT to listen on (use freePort() from ./ports for a free one). */
  httpAddr: string;
  dbPath: string;
  masterKey?: string;
  /** A real meilisearch binary; absent → the dev node. */
  bin?: string;
  /** Enables the dev node's /_sim fault-injection routes (ignored for a real binary). */
  faults?: boolean;
  /** Extra environment for the process. */
  env?: Record<string, string>;
  /** Append the node's stdout/stderr to this file (otherwise the tail is kept in memory for errors). */
  logFile?: string;
  /** How long to wait for GET /health (default 20 s). */
  startTimeoutMs?: number;
}

export interface DevNode {
  readonly url: string;
  /** PID of the current process (changes on restart). */
  readonly pid: number;
  readonly httpAddr: string;
  readonly dbPath: string;
  /** SIGTERM, then wait for exit (SIGKILL after 10 s). No-op when not running. */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit: the crash tests' "kill -9". */
  kill9(): Promise<void>;
  /** Stops the node if it is running, then starts it again on the same address and data. */
  restart(): Promise<void>;
}

export function devNodeMainPath(): string {
  return join(repoRoot(), 'dist', 'test', 'meili-sim', 'main.js');
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// Nodes still running when this process exits (a crashed test, Ctrl-C) are killed with it, so
// they never outlive their owner.
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of live) c.kill('SIGKILL');
  });
}

class DevNodeProcess implements DevNode {
  readonly url: string;
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private outputTail = '';

  constructor(private readonly opts: DevNodeOptions) {
    this.url = `http://${opts.httpAddr}`;
  }

  get pid(): number {
    return this.child?.pid ?? -1;
  }
  get httpAddr(): string {
    return this.opts.httpAddr;
  }
  get dbPath(): string {
    return this.opts.dbPath;
  }

  async start(): Promise<void> {
    const { opts } = this;
    mkdirSync(opts.dbPath, { recursive: true });
    const args = ['--http-addr', opts.httpAddr, '--db-path', opts.dbPath, '--no-analytics'];
    if (opts.masterKey) args.push('--master-key', opts.masterKey);
    let command: string;
    if (opts.bin) {
      command = opts.bin;
      // Meilisearch defaults these to `dumps/` and `snapshots/` in its working directory: keep them
      // with the node's data so a node never writes outside its own folder.
      args.push('--dump-dir', join(opts.dbPath, 'dumps'), '--snapshot-dir', join(opts.dbPath, 'snapshots'));
    } else {
      const main = devNodeMainPath();
      if (!existsSync(main)) throw new Error(`dev node not built: ${main} is missing (run npm run build)`);
      command = process.execPath;
      args.unshift(main);
      if (opts.faults) args.push('--sim-faults');
    }
    let logFd: number | null = null;
    if (opts.logFile) {
      mkdirSync(dirname(opts.logFile), { recursive: true });
      logFd = openSync(opts.logFile, 'a');
    }
    const child = spawn(command, args, {
      env: { ...process.env, MEILI_NO_ANALYTICS: 'true', ...opts.env },
      stdio: ['ignore', logFd ?? 'pipe', logFd ?? 'pipe'],
    });
    if (logFd !== null) closeSync(logFd);
    this.child = child;
    track(child);
    this.outputTail = '';
    const keep = (chunk: Buffer): void => {
      this.outputTail = (this.outputTail + chunk.toString('utf8')).slice(-8192);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise<void>((res) => {
      child.once('exit', () => res());
      child.once('error', (err) => {
        keep(Buffer.from(String(err)));
        res();
      });
    });
    await this.waitHealthy(opts.startTimeoutMs ?? 20_000);
  }

  private async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const child = this.child!;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`node at ${this.opts.httpAddr} exited during start (code ${child.exitCode}, signal ${child.signalCode}):\n${this.outputTail}`);
      }
      try {
        const res = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`node at ${this.opts.httpAddr} not healthy after ${timeoutMs} ms:\n${this.outputTail}`);
      }
      await sleep(50);
    }
  }

  private running(): boolean {
    const c = this.child;
    return c !== null && c.exitCode === null && c.signalCode === null;
  }

  async stop(): Promise<void> {
    if (!this.running()) return;
    const child = this.child!;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }

  async kill9(): Promise<void> {
    if (!this.running()) return;
    this.child!.kill('SIGKILL');
    await this.exited;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }
}

export async function startDevNode(opts: DevNodeOptions): Promise<DevNode> {
  const node = new DevNodeProcess(opts);
  await node.start();
  return node;
}
