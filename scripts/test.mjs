#!/usr/bin/env node
// `npm test`: installs what is missing (npm deps, Temporal CLI), builds, then runs every jest
// project. Extra arguments go to jest, e.g. `npm test -- --selectProjects unit`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, ensureBuild, ensureTemporal } from './ensure.mjs';

try {
  ensureBuild();
  process.env.MIROIR_TEMPORAL_BIN = ensureTemporal();
} catch (err) {
  process.stderr.write(`[test] ${err.message}\n`);
  process.exit(1);
}
// The full chaos scenarios are `npm run test:chaos`; `npm test` runs the other projects (a short
// chaos version lives in e2e). Two workers: most suites wait on the processes they start.
const args = process.argv.slice(2);
const defaults = args.includes('--selectProjects') ? [] : ['--selectProjects', 'unit', 'sim', 'integration', 'e2e'];
const workers = args.some((a) => a.startsWith('--maxWorkers') || a === '-w' || a === '--runInBand' || a === '-i') ? [] : ['--maxWorkers=2'];
const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', ...workers, ...defaults, ...args], {
  cwd: ROOT,
  stdio: 'inherit',
  env: process.env,
});
process.exit(r.status ?? 1);
