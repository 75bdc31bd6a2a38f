// Starts one real Postgres and one real Temporal dev server for the whole jest run (integration,
// e2e and chaos projects) on free ports, and hands their addresses to test files through the
// environment. Each suite then creates its own database and task queue, so suites never share state.
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EmbeddedPostgres, TemporalDevServer } from '@miroir/embedded';

// Jest loads global hooks with Node's own require, outside its moduleNameMapper, so the
// @miroir/* aliases do not resolve here: use the build in dist/ (npm test builds first).
const root = resolve(__dirname, '../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const embedded = require(join(root, 'dist/libs/embedded/src')) as typeof import('@miroir/embedded');
const { findMeilisearchBinary, freePort, importEsm, meilisearchVersion, startEmbeddedPostgres, startTemporalDevServer, workspaceMeilisearchBinary } = embedded;

const NAMESPACE_POOL = 64;

interface TestStack {
  pg: EmbeddedPostgres;
  temporal: TemporalDevServer;
  dir: string;
}

declare global {
  // eslint-disable-next-line no-var
  var __MIROIR_TEST_STACK__: Promise<TestStack> | undefined;
}

async function temporalBin(root: string): Promise<string> {
  if (process.env.MIROIR_TEMPORAL_BIN) return process.env.MIROIR_TEMPORAL_BIN;
  // `npx jest` without `npm test`: install the CLI the same way npm test does.
  const ensure = await importEsm<{ ensureTemporal(): string }>(join(root, 'scripts', 'ensure.mjs'));
  return ensure.ensureTemporal();
}

/**
 * Decides once per run which nodes the clusters run on and says so in the run's output: a real
 * Meilisearch binary (MIROIR_TEST_MEILISEARCH_BIN, `meilisearch` on the PATH, or the workspace's
 * shared/bin beside the checkout) or the dev node. Jest workers inherit the decision through the
 * environment (`sim` = the dev node).
 */
function chooseNodes(): void {
  const bin = findMeilisearchBinary(process.env, 'MIROIR_TEST_MEILISEARCH_BIN', [workspaceMeilisearchBinary()]);
  process.env.MIROIR_TEST_MEILISEARCH_BIN = bin ?? 'sim';
  process.stderr.write(
    bin
      ? `\n[miroir-test] nodes: Meilisearch ${meilisearchVersion(bin)} (${bin}); suites that inject faults only the dev node can simulate use the dev node\n`
      : '\n[miroir-test] nodes: the dev node (test/meili-sim); set MIROIR_TEST_MEILISEARCH_BIN to run on a real Meilisearch\n',
  );
}

async function start(): Promise<TestStack> {
  chooseNodes();
  const dir = join(root, '.miroir', 'test', `run-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const [pgPort, temporalPort] = [await freePort(), await freePort()];
  // Workflow ids are unique per namespace and Miroir's are fixed (`rebalance`, `settings:{index}`):
  // every cluster a suite starts claims a namespace of its own from this pool (stack.ts).
  const namespaces = Array.from({ length: NAMESPACE_POOL }, (_, i) => `miroir-t${i + 1}`);
  const [pg, temporal] = await Promise.all([
    startEmbeddedPostgres({ dataDir: join(dir, 'postgres'), port: pgPort, logFile: join(dir, 'postgres.log') }),
    temporalBin(root).then((bin) =>
      startTemporalDevServer({ bin, port: temporalPort, logFile: join(dir, 'temporal.log'), namespaces }),
    ),
  ]);
  process.env.MIROIR_TEST_PG_URL = pg.url;
  process.env.MIROIR_TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.MIROIR_TEST_DIR = dir;
  process.env.MIROIR_TEST_NAMESPACES = namespaces.join(',');
  return { pg, temporal, dir };
}

export default async function globalSetup(): Promise<void> {
  // Jest calls the hook once per project that has it; the stack is shared.
  globalThis.__MIROIR_TEST_STACK__ ??= start();
  await globalThis.__MIROIR_TEST_STACK__;
}
