import { proxyActivities } from '@temporalio/workflow';
import type { TaskOperationActivities } from '../activities/task-operations.activities';
import type { TaskOperationInput } from './task-operations.contract';

const db = proxyActivities<TaskOperationActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 30 },
});

/** Rows deleted per activity call, keeping each transaction short. */
const BATCH = 5_000;

/**
 * DELETE /tasks (docs/api-compatibility.md): deletes the finished tasks of the deletion's filter
 * from Miroir's registry, batch by batch; each batch adds its count to the task's
 * `details.deletedTasks` in the same statement, so a retried batch never counts twice. The node
 * tasks behind them are left to the nodes.
 */
export async function taskDeletionWorkflow(input: TaskOperationInput): Promise<{ deletedTasks: number }> {
  const { taskUid } = input;
  await db.beginTaskDeletion({ taskUid });
  let deletedTasks = 0;
  for (;;) {
    const n = await db.deleteTasksBatch({ taskUid, limit: BATCH });
    deletedTasks += n;
    if (n < BATCH) break;
  }
  await db.finishTaskDeletion({ taskUid });
  return { deletedTasks };
}
