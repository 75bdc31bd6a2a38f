// Timing helpers shared by the libs/core benchmarks.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface Timing {
  readonly median: number;
  readonly p95: number;
  readonly min: number;
}

// A young-generation collection before each timed run: the setups parse 10,000-document bodies,
// and without it the scavenge of one iteration's setup garbage lands inside a later timed run at
// random — whole runs of the routing bench flipped between a 1.2 ms and a 2.4 ms median that way.
// The timed code's own allocations are still collected inside its timing. (A full gc() instead
// leaves the CPU caches cold and slowed every run by ~0.5 ms.) `--expose-gc` is set at runtime, so
// no node flag is needed.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (options: { type: 'minor' }) => void;
const collect = (): void => gc({ type: 'minor' });

/** Runs `setup` (untimed) then `run` (timed) `iterations` times after `warmup` runs; milliseconds. */
export function measure<T>(setup: () => T, run: (input: T) => void, iterations = 200, warmup = 50): Timing {
  const samples: number[] = [];
  for (let i = 0; i < warmup + iterations; i++) {
    const input = setup();
    collect();
    const t0 = process.hrtime.bigint();
    run(input);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (i >= warmup) samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[samples.length >> 1]!, p95: samples[Math.floor(samples.length * 0.95)]!, min: samples[0]! };
}

export function report(name: string, t: Timing, targetMs?: number): void {
  const verdict = targetMs === undefined ? '' : t.median < targetMs ? `  (target < ${targetMs} ms: met)` : `  (target < ${targetMs} ms: MISSED)`;
  console.log(`${name.padEnd(58)} median ${t.median.toFixed(3)} ms  p95 ${t.p95.toFixed(3)} ms  min ${t.min.toFixed(3)} ms${verdict}`);
}
