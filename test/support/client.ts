// The official SDK as the tests use it. Its waitTask() default is 5 s, which a loaded 2-core CI
// machine can exceed on a plain index creation: every client made here waits up to two minutes
// unless a call passes its own bound.
import { Meilisearch } from 'meilisearch';

export const TASK_WAIT = { timeout: 120_000, interval: 50 } as const;

export function meiliClient(host: string, apiKey?: string): Meilisearch {
  return new Meilisearch({ host, apiKey, defaultWaitOptions: TASK_WAIT });
}
