// Runs every benchmark of docs/benchmarks.md one after the other in one session, so all figures
// come from the same machine state, and writes the outputs to .miroir/bench/results-<date>.json.
//
//   node dist/bench/run-all.js [--quick] [--bin PATH|sim]   (--quick: small sizes, a smoke test of the harness)
//
// The node kind is resolved here once (benchNodes in bench/stack.ts) and handed to every cluster
// benchmark as --bin, so one session never mixes real-node and dev-node figures.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@miroir/embedded';
import { flag, log, machine } from './cli';
import { benchNodes } from './stack';

const QUICK = flag('quick');
const nodes = benchNodes();
const bin = ['--bin', nodes.bin ?? 'sim'];
const steps: [string, string[]][] = [
  ['core-routing', []],
  ['core-merge', []],
  ['search-overhead', [...bin, ...(QUICK ? ['--docs', '2000', '--runs', '1', '--duration', '3', '--warmup', '1', '--third'] : ['--profile', '--third'])]],
  ['ingest', [...bin, ...(QUICK ? ['--docs', '5000', '--runs', '1', '--warmup-docs', '1000'] : ['--profile'])]],
  ['rebalance', [...bin, ...(QUICK ? ['--docs', '2000'] : [])]],
  ['anti-entropy', [...bin, ...(QUICK ? ['--docs', '2000', '--updates', '200'] : [])]],
];

const root = repoRoot();
log(`cluster benchmarks on ${nodes.label}`);
const out: Record<string, unknown> = { nodes: nodes.label, machine: machine() };
let failed = false;
for (const [name, args] of steps) {
  log(`── ${name} ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [join(root, 'dist', 'bench', `${name}.js`), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
  const text = r.stdout.trim();
  process.stdout.write(`${text}\n`);
  if (r.status !== 0) failed = true;
  try {
    out[name] = JSON.parse(text);
  } catch {
    out[name] = { exitCode: r.status, stdout: text }; // the core benches print text lines
  }
}
const dir = join(root, '.miroir', 'bench');
mkdirSync(dir, { recursive: true });
const file = join(dir, `results-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify(out, null, 2));
log(`results written to ${file}`);
process.exit(failed ? 1 : 0);
