// Names and shapes shared by the indexLifecycle workflow, its activities and the API that starts
// it. Pure types and constants: safe in the workflow sandbox and in Node processes alike.

export const INDEX_LIFECYCLE_WORKFLOW = 'indexLifecycleWorkflow';

/** ApplicationFailure type of a Meilisearch error a node gave for good (details[0] is the TaskError). */
export const NODE_REJECTED = 'MeiliNodeRejected';
/** ApplicationFailure type of a node that did not answer (retryable; details[0] is a TaskError). */
export const NODE_UNAVAILABLE = 'MeiliNodeUnavailable';

export type IndexLifecycleOp = 'create' | 'delete' | 'update';

/** Meilisearch's error object, as a failed task carries it. */
export interface TaskError {
  message: string;
  code: string;
  type: string;
  link: string;
}

export interface NodeRetryPolicy {
  /** Attempts per node call before the node counts as failed for good (default 5). */
  maximumAttempts?: number;
  /** First retry delay in ms (default 500), doubling each attempt up to 10 s. */
  initialIntervalMs?: number;
}

export interface IndexLifecycleInput {
  op: IndexLifecycleOp;
  indexUid: string;
  /** create: the primary key if given; update: the new primary key. */
  primaryKey?: string | null;
  /** Shard count S of a created index (config.cluster.shards at request time). */
  shards?: number;
  /** The Miroir task whose status follows this workflow; null for an implicit creation. */
  taskUid: number | null;
  requestedBy: string;
  nodeRetry?: NodeRetryPolicy;
}

export interface IndexLifecycleResult {
  outcome: 'succeeded' | 'failed';
  error?: TaskError;
}

export function taskError(code: string, message: string, type = 'invalid_request'): TaskError {
  return { message, code, type, link: `https://docs.meilisearch.com/errors#${code}` };
}
