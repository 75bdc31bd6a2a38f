// Command-line and reporting helpers shared by the cluster benchmarks.
import { readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

export function numArg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return def;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v)) throw new Error(`--${name} needs a number`);
  return v;
}

/** The value after `--name`, or undefined when the flag is absent. */
export function strArg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`--${name} needs a value`);
  return v;
}

export function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

const started = { date: new Date().toISOString(), loadAverageAtStart: loadavg().map((x) => +x.toFixed(2)) };

/** Machine and load, printed with every result: figures taken on a busy machine are upper bounds. */
export function machine(): Record<string, unknown> {
  return {
    ...started,
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`,
    node: process.version,
    loadAverageAtEnd: loadavg().map((x) => +x.toFixed(2)),
  };
}

export function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

export const ratio = (a: number, b: number): number => +(a / b).toFixed(3);

/** The first .cpuprofile node wrote into `dir` (named by --cpu-prof on exit), if any. */
export function findProfile(dir: string): string | undefined {
  const f = readdirSync(dir).find((n) => n.endsWith('.cpuprofile'));
  return f ? join(dir, f) : undefined;
}

/**
 * Runs main, prints its JSON result on stdout, exits non-zero on failure. `nodes` says what the
 * cluster benchmarks ran on (a real Meilisearch or the dev node): it leads both the log and the
 * JSON, because a figure without it cannot be compared with any other.
 */
export function runBench(name: string, main: () => Promise<unknown>, nodes?: string): void {
  if (nodes) log(`${name} on ${nodes}`);
  main().then(
    (result) => {
      process.stdout.write(JSON.stringify({ bench: name, ...(nodes ? { nodes } : {}), ...machine(), ...(result as object) }, null, 2) + '\n');
      process.exit(0);
    },
    (err: unknown) => {
      process.stderr.write(`${name} failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
