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
const args = process.argv.slice(2);
const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', ...args], {
  cwd: ROOT,
  stdio: 'inherit',
  env: process.env,
});
process.exit(r.status ?? 1);
