import { proxyActivities } from '@temporalio/workflow';
import type { StatePruneActivities } from '../activities/state-prune.activities';

const acts = proxyActivities<StatePruneActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumAttempts: 10 },
});

export interface StatePruneInput {
  maxSessions: number;
  batchSize?: number;
}

/** Prunes expired idempotency keys and sessions, then the oldest sessions past the bound. */
export async function statePruneWorkflow(input: StatePruneInput): Promise<{ idempotencyKeys: number; sessions: number }> {
  const batchSize = input.batchSize ?? 10_000;
  const drain = async (step: () => Promise<number>): Promise<number> => {
    let total = 0;
    for (;;) {
      const n = await step();
      total += n;
      if (n < batchSize) return total;
    }
  };
  const idempotencyKeys = await drain(() => acts.pruneExpiredIdempotencyKeys({ batchSize }));
  const sessions =
    (await drain(() => acts.pruneExpiredSessions({ batchSize }))) +
    (await drain(() => acts.boundSessions({ maxSessions: input.maxSessions, batchSize })));
  return { idempotencyKeys, sessions };
}
