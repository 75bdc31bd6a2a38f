// Summarises a V8 .cpuprofile (written by `node --cpu-prof`) into the top frames by self time and
// the share of time per package, so docs/benchmarks.md can say where the API's time goes.
// Standalone: `node dist/bench/cpu-profile.js FILE.cpuprofile [top]`.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Time not spent idle. */
  busyMs: number;
  frames: { frame: string; selfMs: number; pctOfBusy: number }[];
  packages: { pkg: string; selfMs: number; pctOfBusy: number }[];
}

/** Which part of the stack a script URL belongs to: an npm package, Node itself, or Miroir. */
function packageOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith('node:')) return 'node core';
  const m = /dist\/((?:apps|libs)\/[^/]+|workflows|activities)/.exec(url);
  return m ? `miroir ${m[1]}` : url;
}

export function summariseProfile(file: string, top = 15): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + dt);
  }
  const frames = new Map<string, number>();
  const packages = new Map<string, number>();
  let idle = 0;
  for (const [id, ms] of self) {
    const cf = byId.get(id)!.callFrame;
    if (cf.functionName === '(idle)') {
      idle += ms;
      continue;
    }
    const where = cf.url ? `${cf.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${cf.lineNumber + 1}` : '';
    const key = `${cf.functionName || '(anonymous)'} ${where}`.trim();
    frames.set(key, (frames.get(key) ?? 0) + ms);
    const pkg = packageOf(cf.url, cf.functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + ms);
  }
  const busy = total - idle;
  const rank = (m: Map<string, number>) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, ms]) => ({ k, selfMs: Math.round(ms), pctOfBusy: +((100 * ms) / busy).toFixed(1) }));
  return {
    totalMs: Math.round(total),
    busyMs: Math.round(busy),
    frames: rank(frames).map(({ k, ...r }) => ({ frame: k, ...r })),
    packages: rank(packages).map(({ k, ...r }) => ({ pkg: k, ...r })),
  };
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node dist/bench/cpu-profile.js FILE.cpuprofile [top]\n');
    process.exit(2);
  }
  process.stdout.write(JSON.stringify(summariseProfile(file, Number(process.argv[3] ?? 15)), null, 2) + '\n');
}
