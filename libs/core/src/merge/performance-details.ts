// `showPerformanceDetails` across nodes (docs/api-compatibility.md): Meilisearch 1.50 answers a
// `performanceDetails` object, step name → duration as Rust prints a Duration with two decimals
// ("96.92µs", "1.07ms", "2.50s"). A request fanned out to several nodes is as slow as its slowest
// node at every step, so the merge keeps each step's largest duration over the nodes (steps in
// the order the nodes list them), then appends Miroir's own steps.

export type PerformanceDetails = Record<string, string>;

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['ns', 1],
  ['µs', 1e3],
  ['us', 1e3],
  ['ms', 1e6],
  ['s', 1e9],
];

/** A Rust Duration's `{:.2?}` text in nanoseconds; null when it is not one. */
export function parseRustDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ns|µs|us|ms|s)$/.exec(text.trim());
  if (!m) return null;
  const unit = UNITS.find(([u]) => u === m[2])!;
  return Number(m[1]) * unit[1];
}

/** Nanoseconds as Rust's `{:.2?}` prints a Duration: the largest unit that keeps the value ≥ 1. */
export function formatRustDuration(nanos: number): string {
  const ns = Math.max(0, nanos);
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)}s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)}ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)}µs`;
  return `${ns.toFixed(2)}ns`;
}

/**
 * Each step's largest duration over the nodes' details (absent details skipped), followed by
 * `extra` (Miroir's own steps, in nanoseconds). The slowest node's text is kept verbatim; a value
 * that does not parse loses to any that does.
 */
export function mergePerformanceDetails(details: readonly (PerformanceDetails | undefined)[], extra: Readonly<Record<string, number>> = {}): PerformanceDetails {
  const slowest = new Map<string, { nanos: number | null; text: string }>();
  for (const d of details) {
    if (!d) continue;
    for (const [step, text] of Object.entries(d)) {
      if (typeof text !== 'string') continue;
      const nanos = parseRustDuration(text);
      const cur = slowest.get(step);
      if (cur === undefined || (nanos !== null && (cur.nanos === null || nanos > cur.nanos))) slowest.set(step, { nanos, text });
    }
  }
  const out: PerformanceDetails = {};
  for (const [step, v] of slowest) out[step] = v.text;
  for (const [step, nanos] of Object.entries(extra)) out[step] = formatRustDuration(nanos);
  return out;
}
