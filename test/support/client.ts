// The official SDK as the tests use it. Its waitTask() default is 5 s, which a loaded 2-core CI
// machine can exceed on a plain index creation: every client made here waits up to two minutes
// unless a call passes its own bound. One exception in meilisearch-js 0.62: `createIndex()` builds
// its own task client without these defaults, so its waits pass TASK_WAIT explicitly.
import { Meilisearch } from 'meilisearch';

export const TASK_WAIT = { timeout: 120_000, interval: 50 } as const;

export function meiliClient(host: string, apiKey?: string): Meilisearch {
  return new Meilisearch({ host, apiKey, defaultWaitOptions: TASK_WAIT });
}
