import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * A real Meilisearch binary when MIROIR_DEV_MEILISEARCH_BIN names one or `meilisearch` is on the
 * PATH; undefined means "use the dev node" (test/meili-sim).
 */
export function findMeilisearchBinary(env: NodeJS.ProcessEnv): string | undefined {
  const explicit = env.MIROIR_DEV_MEILISEARCH_BIN;
  if (explicit) {
    if (spawnSync(explicit, ['--version'], { stdio: 'ignore' }).status === 0) return explicit;
    throw new Error(`MIROIR_DEV_MEILISEARCH_BIN=${explicit} does not run`);
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'meilisearch');
    if (dir && existsSync(candidate) && spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return undefined;
}
