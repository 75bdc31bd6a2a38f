import type { DataSource } from 'typeorm';
import { isNodeHttpError } from '@miroir/meili';
import {
  claimCancelationTargets,
  deleteTasksBatch,
  findTask,
  finishCancelation,
  loadTaskFilter,
  runningCancelationTargets,
  type NodeTaskRef,
  type TaskListFilter,
} from '@miroir/store';
import type { WorkerNodeClients } from './node-clients';
import { markTaskProcessing, markTaskSucceeded } from './task-status.activities';

// Activities of the taskCancelation and taskDeletion workflows. Each is idempotent: the task row
// holds the filter, claims and counts, and every statement is safe to repeat.

/** Node task uids per POST /tasks/cancel call, keeping URLs short. */
const UIDS_PER_CALL = 500;
/** How long a node's own cancelation task may take (it only flips task statuses). */
const NODE_CANCEL_WAIT_MS = 60_000;

export interface TaskOperationActivities {
  /** Marks the cancelation processing and claims its targets; their pending node tasks, per node. */
  beginTaskCancelation(input: { taskUid: number }): Promise<Record<string, number[]>>;
  cancelNodeTasks(input: { nodeId: string; uids: number[] }): Promise<void>;
  runningCancelationTargets(input: { taskUid: number }): Promise<number>;
  /** Releases claims on tasks that finished otherwise; the cancelation succeeds with its count. */
  finishTaskCancelation(input: { taskUid: number }): Promise<number>;
  beginTaskDeletion(input: { taskUid: number }): Promise<void>;
  deleteTasksBatch(input: { taskUid: number; limit: number }): Promise<number>;
  finishTaskDeletion(input: { taskUid: number }): Promise<void>;
}

const TERMINAL = new Set(['succeeded', 'failed', 'canceled']);

async function storedFilter(ds: DataSource, taskUid: number): Promise<TaskListFilter | undefined> {
  const task = await findTask(ds, taskUid);
  return task?.taskFilter ? loadTaskFilter(task.taskFilter) : undefined;
}

function pendingNodeTasks(refs: readonly NodeTaskRef[], into: Record<string, number[]>): void {
  for (const nt of refs) {
    if (nt.status !== undefined && TERMINAL.has(nt.status)) continue;
    (into[nt.nodeId] ??= []).push(nt.taskUid);
  }
}

export function createTaskOperationActivities(ds: DataSource, nodes: WorkerNodeClients): TaskOperationActivities {
  return {
    async beginTaskCancelation({ taskUid }) {
      await markTaskProcessing(ds, taskUid);
      const filter = await storedFilter(ds, taskUid);
      if (!filter) return {};
      const perNode: Record<string, number[]> = {};
      for (const t of await claimCancelationTargets(ds, taskUid, filter)) pendingNodeTasks(t.nodeTasks, perNode);
      return perNode;
    },

    async cancelNodeTasks({ nodeId, uids }) {
      const topology = await nodes.topology();
      // A node that left the cluster has nothing left to cancel; its tasks are followed as lost.
      if (!topology.nodes.some((n) => n.id === nodeId && n.state !== 'removed')) return;
      const client = await nodes.get(nodeId);
      for (let i = 0; i < uids.length; i += UIDS_PER_CALL) {
        try {
          const enqueued = await client.cancelTasks(uids.slice(i, i + UIDS_PER_CALL));
          await client.waitForTask(enqueued.taskUid, { timeoutMs: NODE_CANCEL_WAIT_MS });
        } catch (err) {
          // A 4xx is final (a retry would get the same answer); transport errors are retried.
          if (isNodeHttpError(err) && err.status < 500) return;
          throw err;
        }
      }
    },

    runningCancelationTargets: ({ taskUid }) => runningCancelationTargets(ds, taskUid),

    async finishTaskCancelation({ taskUid }) {
      return ds.transaction(async (tx) => {
        const canceled = await finishCancelation(tx, taskUid);
        await markTaskSucceeded(tx, taskUid, { canceledTasks: canceled });
        return canceled;
      });
    },

    beginTaskDeletion: ({ taskUid }) => markTaskProcessing(ds, taskUid),

    async deleteTasksBatch({ taskUid, limit }) {
      const filter = await storedFilter(ds, taskUid);
      return filter ? deleteTasksBatch(ds, taskUid, filter, limit) : 0;
    },

    finishTaskDeletion: ({ taskUid }) => markTaskSucceeded(ds, taskUid),
  };
}
