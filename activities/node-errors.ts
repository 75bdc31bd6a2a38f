import { ApplicationFailure } from '@temporalio/activity';
import { isNodeHttpError, isNodeUnavailable, type NodeClient, type Task } from '@miroir/meili';
import { NODE_REJECTED, NODE_UNAVAILABLE, taskError, type TaskError } from '../workflows/index-lifecycle.contract';

/**
 * Maps a node call's error to what Temporal should do with it: a 4xx answer (the node refused the
 * request: an invalid setting, a missing index) is final, anything else — no answer, 5xx, a task
 * still running at our deadline — is retried by the activity's retry policy.
 */
export function toActivityFailure(nodeId: string, err: unknown): ApplicationFailure {
  if (isNodeHttpError(err) && err.status < 500) {
    return ApplicationFailure.nonRetryable(err.nodeMessage, NODE_REJECTED, err.toMeiliError());
  }
  const reason = isNodeUnavailable(err) ? err.reason : (err as Error).message;
  const details: TaskError = taskError('miroir_node_unavailable', `Node \`${nodeId}\` could not be reached (${reason}).`, 'system');
  return ApplicationFailure.retryable(`node ${nodeId}: ${(err as Error).message}`, NODE_UNAVAILABLE, details);
}

/** A failed node task as a final failure carrying the node's Meilisearch error. */
export function taskFailure(nodeId: string, task: Task): ApplicationFailure {
  const error: TaskError = task.error ?? taskError('internal', `Task ${task.uid} on node ${nodeId} ended ${task.status}.`, 'internal');
  return ApplicationFailure.nonRetryable(error.message, NODE_REJECTED, error);
}

/** Runs `fn` against a node, converting its errors with toActivityFailure. */
export async function onNode<T>(nodeId: string, client: NodeClient, fn: (c: NodeClient) => Promise<T>): Promise<T> {
  try {
    return await fn(client);
  } catch (err) {
    if (err instanceof ApplicationFailure) throw err;
    throw toActivityFailure(nodeId, err);
  }
}

/** Waits for a node task; a failed task is returned, not thrown (callers decide). */
export function waitNodeTask(client: NodeClient, taskUid: number, timeoutMs = 10 * 60_000): Promise<Task> {
  return client.waitForTask(taskUid, { timeoutMs, maxIntervalMs: 500 });
}
