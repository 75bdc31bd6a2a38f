import { type Client, ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { MiroirOperation, MiroirRequestedBy, scheduleIds, workflowIds } from '@miroir/temporal';
import type { MiroirConfig } from '@miroir/config';

/**
 * Creates the recurring operations' Temporal Schedules, or brings existing ones in line with the
 * configuration (interval, arguments, task queue) — idempotent, run at every worker start.
 */
export async function ensureSchedules(client: Client, config: MiroirConfig): Promise<void> {
  const taskQueue = config.temporal.task_queue;
  await createOrUpdate(client, {
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
  await createOrUpdate(client, {
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
  await createOrUpdate(client, {
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
  // Anti-entropy only runs while writes stamp documents: without stamps it could not tell which
  // copy is newer. Turning it off removes the schedule (a run in progress finishes).
  const ae = config.anti_entropy;
  if (ae.enabled) {
    await createOrUpdate(client, {
      scheduleId: scheduleIds.antiEntropy(),
      spec: { intervals: [{ every: ae.interval_ms }] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
      action: {
        type: 'startWorkflow',
        workflowType: 'antiEntropyWorkflow',
        workflowId: workflowIds.antiEntropy(),
        taskQueue,
        args: [{ pageSize: ae.page_size, settleMs: ae.settle_ms, concurrency: ae.concurrency }],
        typedSearchAttributes: [
          { key: MiroirOperation, value: 'antiEntropy' },
          { key: MiroirRequestedBy, value: 'schedule' },
        ],
      },
    });
  } else {
    await client.schedule
      .getHandle(scheduleIds.antiEntropy())
      .delete()
      .catch((err: unknown) => {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      });
  }
}

async function createOrUpdate(client: Client, options: Parameters<Client['schedule']['create']>[0]): Promise<void> {
  try {
    await client.schedule.create(options);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    // Whether it is paused (and why) is the operator's decision, kept as it is.
    await client.schedule.getHandle(options.scheduleId).update((previous) => ({
      spec: options.spec,
      action: options.action,
      policies: options.policies,
      state: { paused: previous.state.paused, note: previous.state.note },
    }));
  }
}
