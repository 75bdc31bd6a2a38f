import { ActivityFailure, log, proxyActivities, sleep } from '@temporalio/workflow';
import type { TaskOperationActivities } from '../activities/task-operations.activities';
import type { TaskOperationInput } from './task-operations.contract';

// Postgres steps: short, retried until the database answers.
const db = proxyActivities<TaskOperationActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 30 },
});

/** Node steps: a node that stays unreachable is given up on (it runs its tasks when back). */
const nodes = proxyActivities<TaskOperationActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '20s', maximumAttempts: 5 },
});

/**
 * How long the cancelation waits for the tasks it canceled to settle. Longer than the task
 * refresher's limit for a node task it cannot observe (10 minutes), after which it fails such a task.
 */
const SETTLE_LIMIT_MS = 15 * 60_000;

/**
 * POST /tasks/cancel (docs/api-compatibility.md). The cancelation claims the matching tasks that
 * follow node tasks and are still running, asks every node to cancel their node tasks (Meilisearch
 * cancels enqueued and processing ones, leaves finished ones), then waits while the API's task
 * reconciler settles the claimed tasks from their node tasks: `canceled` when a node task was
 * canceled, else whatever they finished as. Its details count the tasks it canceled.
 */
export async function taskCancelationWorkflow(input: TaskOperationInput): Promise<{ canceledTasks: number }> {
  const { taskUid } = input;
  const perNode = await db.beginTaskCancelation({ taskUid });
  await Promise.all(
    Object.entries(perNode).map(async ([nodeId, uids]) => {
      try {
        await nodes.cancelNodeTasks({ nodeId, uids });
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        log.warn('could not cancel node tasks; the node runs them when it is back', { taskUid, nodeId, tasks: uids.length });
      }
    }),
  );
  const deadline = Date.now() + SETTLE_LIMIT_MS;
  let pause = 250;
  while ((await db.runningCancelationTargets({ taskUid })) > 0 && Date.now() < deadline) {
    await sleep(pause);
    pause = Math.min(pause * 2, 5_000);
  }
  const canceledTasks = await db.finishTaskCancelation({ taskUid });
  return { canceledTasks };
}
