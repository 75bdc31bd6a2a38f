import { Inject, Injectable } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { LoadedConfig } from '@miroir/config';
import { MiroirIndex, MiroirOperation, MiroirRequestedBy, workflowIds } from '@miroir/temporal';
import { LOADED_CONFIG, TEMPORAL_CLIENT } from '../infra/tokens';
import { INDEX_LIFECYCLE_WORKFLOW, type IndexLifecycleInput, type IndexLifecycleResult } from '../../../../workflows/index-lifecycle.contract';
import {
  ENQUEUE_SETTINGS_CHANGE_SIGNAL,
  SETTINGS_BROADCAST_WORKFLOW,
  type SettingsBroadcastInput,
  type SettingsChange,
} from '../../../../workflows/settings-broadcast.contract';

/** Temporal's operation names for the MiroirOperation search attribute. */
const OPERATION = { create: 'indexCreation', delete: 'indexDeletion', update: 'indexUpdate' } as const;

export function lifecycleWorkflowId(indexUid: string, op: IndexLifecycleInput['op']): string {
  // workflowIds names create and delete; a primary-key update follows the same pattern.
  return op === 'update' ? `index:update:${indexUid}` : workflowIds.indexLifecycle(indexUid, op);
}

/**
 * Starts Miroir's index workflows with the search attributes and memo that make the Temporal UI's
 * list and history the audit log (docs/design.md#workflows): MiroirIndex, MiroirOperation, MiroirRequestedBy, and
 * the change itself in the memo.
 */
@Injectable()
export class WorkflowStarter {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(LOADED_CONFIG) private readonly loaded: LoadedConfig,
  ) {}

  /** Starts an indexLifecycle run; throws WorkflowExecutionAlreadyStartedError when one runs. */
  startLifecycle(input: IndexLifecycleInput): Promise<WorkflowHandle> {
    return this.temporal.workflow.start(INDEX_LIFECYCLE_WORKFLOW, {
      taskQueue: this.loaded.config.temporal.task_queue,
      workflowId: lifecycleWorkflowId(input.indexUid, input.op),
      args: [input],
      typedSearchAttributes: [
        { key: MiroirIndex, value: input.indexUid },
        { key: MiroirOperation, value: OPERATION[input.op] },
        { key: MiroirRequestedBy, value: input.requestedBy },
      ],
      memo: { op: input.op, indexUid: input.indexUid, primaryKey: input.primaryKey ?? null, taskUid: input.taskUid },
    });
  }

  /** Starts the create workflow, or joins the one already running, and waits for its result. */
  async createAndWait(input: IndexLifecycleInput): Promise<IndexLifecycleResult> {
    let handle: WorkflowHandle;
    try {
      handle = await this.startLifecycle(input);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      handle = this.temporal.workflow.getHandle(lifecycleWorkflowId(input.indexUid, 'create'));
    }
    return (await handle.result()) as IndexLifecycleResult;
  }

  /** Queues a settings change in the index's settingsBroadcast workflow, starting it if idle. */
  async enqueueSettingsChange(indexUid: string, change: SettingsChange): Promise<void> {
    const input: SettingsBroadcastInput = { indexUid };
    await this.temporal.workflow.signalWithStart(SETTINGS_BROADCAST_WORKFLOW, {
      taskQueue: this.loaded.config.temporal.task_queue,
      workflowId: workflowIds.settings(indexUid),
      args: [input],
      signal: ENQUEUE_SETTINGS_CHANGE_SIGNAL,
      signalArgs: [change],
      typedSearchAttributes: [
        { key: MiroirIndex, value: indexUid },
        { key: MiroirOperation, value: 'settingsUpdate' },
        { key: MiroirRequestedBy, value: change.requestedBy },
      ],
      // The memo of a run shows the change that started it; the workflow appends later ones.
      memo: { indexUid, firstChange: change },
    });
  }
}
