import { log, proxyActivities, sleep } from '@temporalio/workflow';
import type { IndexLifecycleActivities } from '../activities/index-lifecycle.activities';
import type { TaskStatusActivities } from '../activities/task-status.activities';
import { taskError, type IndexLifecycleInput, type IndexLifecycleResult, type TaskError } from './index-lifecycle.contract';
import { nodeFailureError, nodeRetry } from './index-lifecycle.node-failure';


type Activities = IndexLifecycleActivities & TaskStatusActivities;

// Postgres steps: short, retried until the database answers.
const db = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 30 },
});

/** Node steps: a node task may take a while (waitForTask allows 10 minutes). */
const nodeActivities = (maximumAttempts: number, initialIntervalMs?: number) =>
  proxyActivities<Activities>({ startToCloseTimeout: '11 minutes', retry: nodeRetry(maximumAttempts, initialIntervalMs) });

/** How long a create waits for a deletion of the same uid to finish (and vice versa). */
const BUSY_WAIT_ROUNDS = 120;

/** Waiting for earlier tasks of the index: one call polls for ~50 s; the operation gives up after 10 (~8 minutes). */
const turn = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes', heartbeatTimeout: '30s', retry: { maximumAttempts: 5 } });
const TURN_CALLS = 10;

/**
 * Creates, deletes or re-keys an index on every node (docs/settings-and-indexes.md). The client's Miroir task follows
 * the workflow. A create that fails on any node for good (after its retries) is rolled back: the
 * index is deleted from every node and the registry row removed, so no node keeps it.
 */
export async function indexLifecycleWorkflow(input: IndexLifecycleInput): Promise<IndexLifecycleResult> {
  if (!(await awaitTurn(input))) {
    const error = taskError(
      'miroir_task_order_timeout',
      `An earlier settings change or index operation of \`${input.indexUid}\` has not reached the nodes after several minutes, and this operation must run after it; it was not applied.`,
      'system',
    );
    return fail(input, error);
  }
  await db.taskProcessing({ taskUid: input.taskUid });
  switch (input.op) {
    case 'create':
      return create(input);
    case 'delete':
      return remove(input);
    case 'update':
      return updatePrimaryKey(input);
  }
}

/**
 * As on one Meilisearch node, an index operation runs after the earlier tasks of its index: it
 * waits until every earlier settings change or index operation is dispatched to the nodes
 * (docs/architecture.md, "Task order"); false if that does not happen in time (the operation fails
 * rather than run out of order). A creation caused by a write has no task and waits for none.
 */
async function awaitTurn(input: IndexLifecycleInput): Promise<boolean> {
  if (input.taskUid === null) return true;
  for (let i = 0; i < TURN_CALLS; i++) if (await turn.waitIndexTurn({ indexUid: input.indexUid, taskUid: input.taskUid })) return true;
  log.warn('an earlier task of the index is still not dispatched; the operation fails', { index: input.indexUid, taskUid: input.taskUid });
  return false;
}

async function fail(input: IndexLifecycleInput, error: TaskError): Promise<IndexLifecycleResult> {
  await db.taskFailed({ taskUid: input.taskUid, error });
  return { outcome: 'failed', error };
}

async function create(input: IndexLifecycleInput): Promise<IndexLifecycleResult> {
  const { indexUid, taskUid } = input;
  const primaryKey = input.primaryKey ?? null;
  const attempts = input.nodeRetry?.maximumAttempts ?? 5;
  let claim = await db.claimIndexCreation({ indexUid, primaryKey, shards: input.shards ?? 64 });
  for (let i = 0; claim === 'busy' && i < BUSY_WAIT_ROUNDS; i++) {
    await sleep('1s');
    claim = await db.claimIndexCreation({ indexUid, primaryKey, shards: input.shards ?? 64 });
  }
  if (claim === 'exists') return fail(input, taskError('index_already_exists', `Index \`${indexUid}\` already exists.`));
  if (claim === 'busy') return fail(input, taskError('miroir_index_busy', `Index \`${indexUid}\` is still being deleted; try again.`, 'system'));

  const nodes = await db.listIndexNodes();
  const create = nodeActivities(attempts, input.nodeRetry?.initialIntervalMs);
  const results = await Promise.allSettled(nodes.map((nodeId) => create.createIndexOnNode({ nodeId, indexUid, primaryKey })));
  const failedAt = results.findIndex((r) => r.status === 'rejected');
  if (failedAt === -1) {
    await db.markIndexReady({ indexUid, taskUid, primaryKey });
    return { outcome: 'succeeded' };
  }

  // Roll back everywhere, not only where the create succeeded: a node that failed may still have
  // created the index before its answer was lost.
  const nodeId = nodes[failedAt]!;
  const { rejected, error: nodeError } = nodeFailureError((results[failedAt] as PromiseRejectedResult).reason, nodeId);
  log.warn('index creation failed on a node; rolling back', { index: indexUid, node: nodeId, code: nodeError.code });
  // As many attempts as the create had: a node that was down for good stays down, and the orphan
  // it may keep is dropped by the next create of this uid.
  const rollback = nodeActivities(attempts, input.nodeRetry?.initialIntervalMs);
  const undone = await Promise.allSettled(nodes.map((n) => rollback.deleteIndexOnNode({ nodeId: n, indexUid })));
  undone.forEach((r, i) => {
    // The orphan is dropped by the next create of this uid (createIndexOnNode's first attempt).
    if (r.status === 'rejected') log.error('rollback could not reach a node; it keeps an orphan index', { index: indexUid, node: nodes[i] });
  });
  const error = rejected
    ? nodeError
    : taskError(
        'miroir_index_creation_failed',
        `Index \`${indexUid}\` could not be created on node \`${nodeId}\` (${nodeError.message}); the partial creation was rolled back.`,
        'system',
      );
  await db.releaseIndexClaim({ indexUid, taskUid, error });
  return { outcome: 'failed', error };
}

async function remove(input: IndexLifecycleInput): Promise<IndexLifecycleResult> {
  const { indexUid, taskUid } = input;
  let mark = await db.beginIndexDeletion({ indexUid });
  for (let i = 0; mark === 'busy' && i < BUSY_WAIT_ROUNDS; i++) {
    await sleep('1s');
    mark = await db.beginIndexDeletion({ indexUid });
  }
  if (mark === 'not_found') return fail(input, taskError('index_not_found', `Index \`${indexUid}\` not found.`));
  if (mark === 'busy') return fail(input, taskError('miroir_index_busy', `Index \`${indexUid}\` is still being created; try again.`, 'system'));

  const nodes = await db.listIndexNodes();
  const del = nodeActivities(Math.max(input.nodeRetry?.maximumAttempts ?? 5, 8), input.nodeRetry?.initialIntervalMs);
  const results = await Promise.allSettled(nodes.map((nodeId) => del.deleteIndexOnNode({ nodeId, indexUid })));
  let deletedDocuments = 0;
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') deletedDocuments += r.value.deletedDocuments;
    // Clients no longer see the index; the node's copy is dropped by the next create of this uid.
    else log.error('index deletion could not reach a node; it keeps an orphan index', { index: indexUid, node: nodes[i] });
  });
  await db.finishIndexDeletion({ indexUid, taskUid, deletedDocuments });
  return { outcome: 'succeeded' };
}

async function updatePrimaryKey(input: IndexLifecycleInput): Promise<IndexLifecycleResult> {
  const { indexUid, taskUid } = input;
  const current = await db.currentIndex({ indexUid });
  if (!current || current.state !== 'ready') return fail(input, taskError('index_not_found', `Index \`${indexUid}\` not found.`));
  const primaryKey = input.primaryKey ?? null;
  if (primaryKey === null || primaryKey === current.primaryKey) {
    await db.taskSucceeded({ taskUid, details: { primaryKey } });
    return { outcome: 'succeeded' };
  }
  const nodes = await db.listIndexNodes();
  const node = nodeActivities(input.nodeRetry?.maximumAttempts ?? 5, input.nodeRetry?.initialIntervalMs);
  if (current.primaryKey !== null) {
    // As Meilisearch: the key of an index holding documents cannot change. Checked on every node
    // first so no node changes its key while another refuses.
    const counts = await Promise.allSettled(nodes.map((nodeId) => node.countDocumentsOnNode({ nodeId, indexUid })));
    const unreachable = counts.findIndex((c) => c.status === 'rejected');
    if (unreachable !== -1) return fail(input, nodeFailureError((counts[unreachable] as PromiseRejectedResult).reason, nodes[unreachable]!).error);
    if (counts.some((c) => c.status === 'fulfilled' && c.value > 0)) {
      return fail(input, taskError('index_primary_key_already_exists', `Index \`${indexUid}\`: Index already has a primary key: \`${current.primaryKey}\`.`));
    }
  }
  const results = await Promise.allSettled(nodes.map((nodeId) => node.updatePrimaryKeyOnNode({ nodeId, indexUid, primaryKey })));
  const failedAt = results.findIndex((r) => r.status === 'rejected');
  if (failedAt !== -1) return fail(input, nodeFailureError((results[failedAt] as PromiseRejectedResult).reason, nodes[failedAt]!).error);
  await db.finishPrimaryKeyUpdate({ indexUid, taskUid, primaryKey });
  return { outcome: 'succeeded' };
}
