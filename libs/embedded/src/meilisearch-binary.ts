// Which Meilisearch-compatible node to run: a real `meilisearch` binary when one can be found,
// otherwise the project's dev node (test/meili-sim). Shared by the dev launcher, the test harness
// and the benchmarks so all three agree on what "a real node is available" means.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { repoRoot } from './repo-root';

/** Value of the override variables that forces the dev node even when a binary is on the PATH. */
export const DEV_NODE_SENTINEL = 'sim';

function runs(bin: string): boolean {
  return spawnSync(bin, ['--version'], { stdio: 'ignore', timeout: 30_000 }).status === 0;
}

/**
 * Resolves a real Meilisearch binary. Order: the variable `envVar` (a path, or `sim` for the dev
 * node), then `meilisearch` on the PATH, then each of `fallbacks` that exists. A variable naming a
 * binary that does not run is an error rather than a silent fall back to the dev node, so a typo
 * never makes a "real node" run quietly test the simulator.
 */
export function findMeilisearchBinary(env: NodeJS.ProcessEnv, envVar: string, fallbacks: string[] = []): string | undefined {
  const explicit = env[envVar];
  if (explicit === DEV_NODE_SENTINEL) return undefined;
  if (explicit) {
    if (runs(explicit)) return explicit;
    throw new Error(`${envVar}=${explicit} does not run ("${explicit} --version" failed)`);
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'meilisearch');
    if (dir && existsSync(candidate) && runs(candidate)) return candidate;
  }
  return fallbacks.find((f) => existsSync(f) && runs(f));
}

/** `meilisearch --version` without the program name, e.g. "1.50.0". */
export function meilisearchVersion(bin: string): string {
  const out = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 30_000 }).stdout ?? '';
  return out.trim().replace(/^meilisearch\s+/, '') || 'unknown';
}

/**
 * Where a workspace that lays the project beside a `shared/` folder keeps its Meilisearch binary
 * (this project's CI does): the tests' and benchmarks' last fallback, absent on a user's machine.
 */
export function workspaceMeilisearchBinary(): string {
  return resolve(repoRoot(), '../shared/bin/meilisearch');
}
