// The two nodes of the fidelity suite: a real Meilisearch and the dev node, each a separate
// process in its own temp dir, loaded with the same corpus and settings through the official SDK.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findMeilisearchBinary, workspaceMeilisearchBinary } from '@miroir/embedded';
import { startDevNode, type DevNode } from '@miroir/embedded/dev-node';
import { freePort } from '@miroir/embedded/ports';
import { meiliClient, TASK_WAIT } from '../../support/client';
import { waitFor } from '../../support/wait-for';
import { call, type Answer, type RawRequest } from './compare';
import { BOOK_SETTINGS, buildBooks, buildCorpus, SETTINGS } from './corpus';

export const MASTER_KEY = 'fidelity-master-key-0123456789abcdef';

/** The real binary, or undefined (with the reason) when the suite must be skipped. */
export function realBinary(): { bin?: string; reason?: string } {
  if (process.env['MIROIR_TEST_MEILISEARCH_BIN'] === 'sim') return { reason: 'MIROIR_TEST_MEILISEARCH_BIN=sim' };
  const bin = findMeilisearchBinary(process.env, 'MIROIR_TEST_MEILISEARCH_BIN', [workspaceMeilisearchBinary()]);
  return bin ? { bin } : { reason: 'no meilisearch binary (set MIROIR_TEST_MEILISEARCH_BIN)' };
}

export interface Pair {
  real: DevNode;
  dev: DevNode;
  /** The same request to both nodes, concurrently. */
  both(req: RawRequest): Promise<{ real: Answer; dev: Answer }>;
  /** Waits (bounded) until the task is finished on its node and returns the task object. */
  task(node: DevNode, uid: number): Promise<Record<string, unknown>>;
  dispose(): Promise<void>;
}

export async function startPair(bin: string): Promise<Pair> {
  const dir = mkdtempSync(join(tmpdir(), 'meili-fidelity-'));
  const start = async (name: string, withBin?: string): Promise<DevNode> =>
    startDevNode({ httpAddr: `127.0.0.1:${await freePort()}`, dbPath: join(dir, name), masterKey: MASTER_KEY, bin: withBin, startTimeoutMs: 60_000 });
  const [real, dev] = await Promise.all([start('real', bin), start('dev')]);
  const task = (node: DevNode, uid: number): Promise<Record<string, unknown>> =>
    waitFor(
      `task ${uid} on ${node.url} to finish`,
      async () => {
        const t = (await call(node.url, MASTER_KEY, { path: `/tasks/${uid}` })).body as Record<string, unknown>;
        return t['status'] === 'succeeded' || t['status'] === 'failed' || t['status'] === 'canceled' ? t : undefined;
      },
      TASK_WAIT.timeout,
      TASK_WAIT.interval,
    );
  return {
    real,
    dev,
    async both(req) {
      const [a, b] = await Promise.all([call(real.url, MASTER_KEY, req), call(dev.url, MASTER_KEY, req)]);
      return { real: a, dev: b };
    },
    task,
    async dispose() {
      await Promise.all([real.stop(), dev.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Same index, settings and documents on both nodes, each step awaited with the SDK's bound. */
export async function loadCorpus(pair: Pair): Promise<void> {
  await Promise.all(
    [pair.real, pair.dev].map(async (node) => {
      const client = meiliClient(node.url, MASTER_KEY);
      await client.createIndex('movies', { primaryKey: 'id' }).waitTask(TASK_WAIT);
      const s = await client.index('movies').updateSettings(SETTINGS as never).waitTask();
      if (s.status !== 'succeeded') throw new Error(`settings failed on ${node.url}: ${JSON.stringify(s.error)}`);
      const d = await client.index('movies').addDocuments(buildCorpus()).waitTask();
      if (d.status !== 'succeeded') throw new Error(`documents failed on ${node.url}: ${JSON.stringify(d.error)}`);
      await client.createIndex('books', { primaryKey: 'isbn' }).waitTask(TASK_WAIT);
      await client.index('books').updateSettings(BOOK_SETTINGS).waitTask();
      const b = await client.index('books').addDocuments(buildBooks()).waitTask();
      if (b.status !== 'succeeded') throw new Error(`books failed on ${node.url}: ${JSON.stringify(b.error)}`);
    }),
  );
}
