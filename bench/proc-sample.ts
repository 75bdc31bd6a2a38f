// Resource use of a process during one measured phase, read from /proc (Linux): peak RSS from
// VmHWM (reset at the start of the phase through clear_refs, so the figure belongs to the phase),
// with a 100 ms VmRSS sampler as a fallback, and CPU from utime+stime in /proc/<pid>/stat.
import { readFileSync, writeFileSync } from 'node:fs';

const CLK_TCK = 100; // Linux USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces): state is field 3, utime 14, stime 15.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(rest[11]) + Number(rest[12]);
}

function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

export interface ProcUsage {
  /** Peak resident set during the phase, MiB. */
  peakRssMiB: number;
  /** CPU seconds (user + system) spent during the phase. */
  cpuSeconds: number;
  /** Average cores busy: CPU seconds / wall seconds (1.0 = one core fully used). */
  cpuCores: number;
}

export interface ProcSampler {
  stop(): ProcUsage;
}

export function sampleProcess(pid: number): ProcSampler {
  let hwmReset = true;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5'); // "5" resets the peak RSS counter
  } catch {
    hwmReset = false; // not permitted: fall back to the sampler's maximum
  }
  const t0 = performance.now();
  const c0 = cpuTicks(pid);
  let maxRss = statusKb(pid, 'VmRSS');
  const timer = setInterval(() => {
    try {
      maxRss = Math.max(maxRss, statusKb(pid, 'VmRSS'));
    } catch {
      /* process gone: the phase will report what it saw */
    }
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      const wall = (performance.now() - t0) / 1000;
      const cpu = (cpuTicks(pid) - c0) / CLK_TCK;
      const peakKb = hwmReset ? Math.max(statusKb(pid, 'VmHWM'), maxRss) : maxRss;
      return { peakRssMiB: +(peakKb / 1024).toFixed(1), cpuSeconds: +cpu.toFixed(2), cpuCores: +(cpu / wall).toFixed(2) };
    },
  };
}

/** CPU seconds of several processes together (e.g. the dev nodes), for "where the time goes". */
export function cpuSecondsOf(pids: readonly number[]): () => number {
  const start = pids.map(cpuTicks);
  return () => +(pids.reduce((sum, pid, i) => sum + cpuTicks(pid) - start[i]!, 0) / CLK_TCK).toFixed(2);
}
