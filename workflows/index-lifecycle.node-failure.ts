// Node-failure helpers shared by the indexLifecycle and settingsBroadcast workflows.
import { ActivityFailure, ApplicationFailure, type RetryPolicy } from '@temporalio/workflow';
import { NODE_REJECTED, taskError, type TaskError } from './index-lifecycle.contract';


/** The Meilisearch error a failed node activity carries, or a Miroir error naming the node. */
export function nodeFailureError(err: unknown, nodeId: string): { rejected: boolean; error: TaskError } {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) {
    const detail = cause.details?.[0] as TaskError | undefined;
    if (detail && typeof detail.code === 'string') return { rejected: cause.type === NODE_REJECTED, error: detail };
  }
  return { rejected: false, error: taskError('miroir_node_unavailable', `Node \`${nodeId}\` could not be reached.`, 'system') };
}

export function nodeRetry(maximumAttempts: number, initialIntervalMs = 500): RetryPolicy {
  return { initialInterval: initialIntervalMs, backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts, nonRetryableErrorTypes: [NODE_REJECTED] };
}
