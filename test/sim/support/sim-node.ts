// Test helpers: a dev node in a fresh temp dir on a free port, a client for it, and error capture.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevNode, type DevNode } from '@miroir/embedded/dev-node';
import { freePort } from '@miroir/embedded/ports';
import type { Meilisearch as MeiliClient } from 'meilisearch';
import { meiliClient } from '../../support/client';

export interface SimHandle {
  node: DevNode;
  dir: string;
  client(apiKey?: string): MeiliClient;
  /** Stops the node and removes its data directory. */
  dispose(): Promise<void>;
}

export async function startSim(opts: { masterKey?: string; faults?: boolean; env?: Record<string, string> } = {}): Promise<SimHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'meili-sim-test-'));
  const port = await freePort();
  const node = await startDevNode({ httpAddr: `127.0.0.1:${port}`, dbPath: join(dir, 'db'), masterKey: opts.masterKey, faults: opts.faults, env: opts.env });
  return {
    node,
    dir,
    client: (apiKey = opts.masterKey) => meiliClient(node.url, apiKey),
    async dispose() {
      await node.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export { apiError, type ApiErrorInfo } from '../../support/api-error';
