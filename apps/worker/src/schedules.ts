import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { MiroirOperation, MiroirRequestedBy, scheduleIds, workflowIds } from '@miroir/temporal';
import type { MiroirConfig } from '@miroir/config';

/** Creates the recurring operations' Temporal Schedules if they do not exist yet (idempotent). */
export async function ensureSchedules(client: Client, config: MiroirConfig): Promise<void> {
  const taskQueue = config.temporal.task_queue;
  await createIfMissing(client, {
    scheduleId: scheduleIds.taskPrune(),
    spec: { intervals: [{ every: '1h' }] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
    action: {
      type: 'startWorkflow',
      workflowType: 'taskPruneWorkflow',
      workflowId: workflowIds.taskPrune(),
      taskQueue,
      args: [{ ttlSeconds: config.tasks.ttl_seconds }],
    },
  });
  await createIfMissing(client, {
    scheduleId: scheduleIds.statePrune(),
    spec: { intervals: [{ every: '10m' }] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
    action: {
      type: 'startWorkflow',
      workflowType: 'statePruneWorkflow',
      workflowId: workflowIds.statePrune(),
      taskQueue,
      args: [{ maxSessions: config.sessions.max_sessions }],
    },
  });
  await createIfMissing(client, {
    scheduleId: scheduleIds.settingsDrift(),
    spec: { intervals: [{ every: config.settings_drift.interval_ms }] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
    action: {
      type: 'startWorkflow',
      workflowType: 'settingsDriftWorkflow',
      workflowId: workflowIds.settingsDrift(),
      taskQueue,
      args: [],
      typedSearchAttributes: [
        { key: MiroirOperation, value: 'settingsDrift' },
        { key: MiroirRequestedBy, value: 'schedule' },
      ],
    },
  });
}

async function createIfMissing(client: Client, options: Parameters<Client['schedule']['create']>[0]): Promise<void> {
  try {
    await client.schedule.create(options);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
}
