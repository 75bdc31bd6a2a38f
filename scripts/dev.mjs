#!/usr/bin/env node
// `npm run dev`: installs what is missing, builds, then hands over to the dev stack launcher
// (apps/dev), which starts Postgres, Temporal, three nodes, the worker and the API.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, ensureBuild, ensureTemporal } from './ensure.mjs';

try {
  ensureBuild();
  process.env.MIROIR_TEMPORAL_BIN = ensureTemporal();
} catch (err) {
  process.stderr.write(`[dev] ${err.message}\n`);
  process.exit(1);
}
const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', 'dev', 'src', 'main.js'), ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: 'inherit',
  env: process.env,
});
// The launcher handles SIGINT/SIGTERM itself and stops its children; forward and wait for it.
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
