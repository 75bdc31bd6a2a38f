import type { NodeTaskRef, TaskRecord } from '@miroir/store';
import type { TaskError } from '@miroir/core';

/**
 * What Miroir keeps of one node task in `tasks.node_tasks` (jsonb): the reference the write path
 * recorded, plus the node's last answer, so a terminal node task is never asked for again and the
 * Miroir task's times and details can be computed from storage alone.
 */
export interface StoredNodeTask extends NodeTaskRef {
  error?: TaskError | null;
  startedAt?: string | null;
  finishedAt?: string | null;
  /** The node's `details.deletedDocuments` / `indexedDocuments` / `editedDocuments`, once known. */
  deletedDocuments?: number | null;
  indexedDocuments?: number | null;
  editedDocuments?: number | null;
}

export function nodeTasksOf(task: TaskRecord): StoredNodeTask[] {
  return task.nodeTasks as StoredNodeTask[];
}

/**
 * Meilisearch 1.50's task types, in its order (its `invalid_task_types` message lists them), for
 * validating `types=` filters; Miroir records only some of them.
 */
export const TASK_TYPES = [
  'documentAdditionOrUpdate',
  'documentEdition',
  'documentDeletion',
  'settingsUpdate',
  'indexCreation',
  'indexDeletion',
  'indexUpdate',
  'indexSwap',
  'taskCancelation',
  'taskDeletion',
  'dumpCreation',
  'snapshotCreation',
  'export',
  'upgradeDatabase',
  'indexCompaction',
  'networkTopologyChange',
  'dsrUpdate',
  'dsrClear',
] as const;

export const TASK_STATUSES = ['enqueued', 'processing', 'succeeded', 'failed', 'canceled'] as const;
