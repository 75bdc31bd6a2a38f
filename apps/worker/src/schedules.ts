import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { scheduleIds, workflowIds } from '@miroir/temporal';
import type { MiroirConfig } from '@miroir/config';

/** Creates the recurring operations' Temporal Schedules if they do not exist yet (idempotent). */
export async function ensureSchedules(client: Client, config: MiroirConfig): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: scheduleIds.taskPrune(),
      spec: { intervals: [{ every: '1h' }] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
      action: {
        type: 'startWorkflow',
        workflowType: 'taskPruneWorkflow',
        workflowId: workflowIds.taskPrune(),
        taskQueue: config.temporal.task_queue,
        args: [{ ttlSeconds: config.tasks.ttl_seconds }],
      },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
}
