import { proxyActivities } from '@temporalio/workflow';
import type { TaskPruneActivities } from '../activities/task-prune.activities';

const { pruneTasks } = proxyActivities<TaskPruneActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumAttempts: 10 },
});

export interface TaskPruneInput {
  /** Terminal tasks finished longer ago than this are deleted (docs/design.md#tasks). */
  ttlSeconds: number;
  /** Rows deleted per activity call, to keep each transaction short. */
  batchSize?: number;
}

/** Deletes terminal tasks past their TTL, batch by batch. Run by a Temporal Schedule. */
export async function taskPruneWorkflow(input: TaskPruneInput): Promise<{ deleted: number }> {
  let deleted = 0;
  for (;;) {
    const n = await pruneTasks({ ttlSeconds: input.ttlSeconds, batchSize: input.batchSize ?? 10_000 });
    deleted += n;
    if (n < (input.batchSize ?? 10_000)) return { deleted };
  }
}
