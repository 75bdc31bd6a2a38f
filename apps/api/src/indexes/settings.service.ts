import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Logger } from '@miroir/config';
import type { Settings } from '@miroir/meili';
import type { TaskRecord } from '@miroir/store';
import { workflowIds } from '@miroir/temporal';
import { markTaskFailed } from '../../../../activities/task-status.activities';
import { taskError } from '../../../../workflows/index-lifecycle.contract';
import { hideReserved, hideReservedValue } from '../../../../workflows/settings-broadcast.contract';
import { IndexRegistry } from '../cluster/index-registry.service';
import { DATA_SOURCE, LOGGER } from '../infra/tokens';
import { TaskRegistry } from '../tasks/task-registry.service';
import { INDEX_LIFECYCLE } from './index-lifecycle.contract';
import type { IndexLifecycleService } from './index-lifecycle.service';
import { assertIndexUid } from './index-uid';
import { NodePicker } from './node-picker.service';
import { SettingsVersionService } from './settings-version.service';
import { WorkflowStarter } from './workflow-starter.service';

/**
 * Index settings (docs/settings-and-indexes.md). Reads come from one node (every node holds the same settings once a
 * change commits) with reserved attributes hidden. Every write — the whole object, one sub-route,
 * a reset — becomes one PATCH-shaped change queued in the index's settingsBroadcast workflow.
 */
@Injectable()
export class SettingsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly registry: IndexRegistry,
    private readonly picker: NodePicker,
    private readonly tasks: TaskRegistry,
    private readonly versions: SettingsVersionService,
    private readonly workflows: WorkflowStarter,
    @Inject(INDEX_LIFECYCLE) private readonly lifecycle: IndexLifecycleService,
  ) {}

  async getAll(uid: string): Promise<Settings> {
    await this.registry.get(uid);
    return hideReserved(await this.picker.readFromOne('the settings', (c) => c.getSettings(uid)));
  }

  async getOne(uid: string, route: string): Promise<unknown> {
    await this.registry.get(uid);
    return hideReservedValue(await this.picker.readFromOne('the settings', (c) => c.settingsSubRoute('GET', uid, route)));
  }

  /** Queues a validated change; as Meilisearch, a settings write creates a missing index first. */
  async change(uid: string, patch: Record<string, unknown>, requestedBy: string): Promise<TaskRecord> {
    assertIndexUid(uid);
    await this.lifecycle.ensureExists(uid, null);
    const task = await this.tasks.createWorkflowTask({ indexUid: uid, type: 'settingsUpdate', workflowId: workflowIds.settings(uid), details: patch });
    try {
      await this.versions.markAccepted(uid);
      await this.workflows.enqueueSettingsChange(uid, { taskUid: task.uid, patch, requestedBy });
    } catch (err) {
      this.logger.error({ index: uid, err: (err as Error).message }, 'could not queue a settings change');
      await markTaskFailed(this.ds, task.uid, taskError('internal', 'The settings change could not be queued.', 'internal'));
      throw err;
    }
    return task;
  }
}
