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

/** Kills every still-running process of a previous run listed in `file`; returns their names. */
export async function killStale(file: string): Promise<string[]> {
  if (!existsSync(file)) return [];
  let entries: PidEntry[] = [];
  try {
    entries = JSON.parse(readFileSync(file, 'utf8')) as PidEntry[];
  } catch {
    entries = [];
  }
  const killed: string[] = [];
  for (const e of entries) {
    const cmd = cmdline(e.pid);
    if (!cmd || !cmd.includes(e.marker)) continue;
    for (const target of [-e.pid, e.pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        /* gone or not a group leader */
      }
    }
    killed.push(e.name);
  }
  const deadline = Date.now() + 5_000;
  while (entries.some((e) => cmdline(e.pid)?.includes(e.marker)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  rmSync(file, { force: true });
  return killed;
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
