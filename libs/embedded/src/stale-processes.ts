import { existsSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A pid file listing the process groups a supervisor started, so that a run after a crash
 * (supervisor killed with -9, machine reset) can stop leftovers before binding the same ports.
 */
export interface PidEntry {
  name: string;
  pid: number;
  /** A string that must appear in /proc/<pid>/cmdline, so a recycled pid is never killed. */
  marker: string;
  /** Sent first; SIGKILL follows if the group outlives the grace period. Postgres wants SIGQUIT. */
  stopSignal?: NodeJS.Signals;
}

export function recordPids(file: string, entries: PidEntry[]): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(entries, null, 2));
}

function cmdline(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return undefined;
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, sig);
    } catch {
      /* gone, or not a group leader */
    }
  }
}

/**
 * Stops every still-running process group of a previous run listed in `file`: its stop signal
 * first, SIGKILL after a grace period, and waits until no process of the group is left (a killed
 * postmaster's backends must be gone before a new one can take the data directory).
 */
export async function killStale(file: string, graceMs = 5_000): Promise<string[]> {
  if (!existsSync(file)) return [];
  let entries: PidEntry[] = [];
  try {
    entries = JSON.parse(readFileSync(file, 'utf8')) as PidEntry[];
  } catch {
    entries = [];
  }
  const live = entries.filter((e) => cmdline(e.pid)?.includes(e.marker));
  for (const e of live) signal(e.pid, e.stopSignal ?? 'SIGTERM');
  const wait = async (until: number): Promise<void> => {
    while (live.some((e) => groupAlive(e.pid)) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  };
  await wait(Date.now() + graceMs);
  for (const e of live) if (groupAlive(e.pid)) signal(e.pid, 'SIGKILL');
  await wait(Date.now() + 5_000);
  rmSync(file, { force: true });
  return live.map((e) => e.name);
}

/** Postgres leaves postmaster.pid behind; stop its server if a previous run's is still alive. */
export async function killStalePostmaster(dataDir: string): Promise<boolean> {
  const pidFile = `${dataDir}/postmaster.pid`;
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  const cmd = cmdline(pid);
  if (!cmd || !cmd.includes('postgres')) return false;
  try {
    process.kill(pid, 'SIGQUIT'); // immediate shutdown; crash recovery replays the WAL on next start
  } catch {
    return false;
  }
  const deadline = Date.now() + 10_000;
  while (cmdline(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (cmdline(pid)) process.kill(pid, 'SIGKILL');
  return true;
}
