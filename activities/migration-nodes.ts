// Node plumbing shared by the migration activities: picking a source that answers, writing a batch
// and waiting for its node task, deleting a shard, heartbeating while a call is slow.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { isNodeHttpError, isNodeUnavailable, UnknownNodeError, type Document, type NodeClient } from '@miroir/meili';
import type { WorkerNodeClients } from './node-clients';
import { toActivityFailure } from './node-errors';
import { countShard, shardOnly } from './migration-documents';

/** Node tasks of a migration are single batches; a slow node gets this long before a retry. */
const TASK_TIMEOUT_MS = 5 * 60_000;

export interface Picked {
  id: string;
  client: NodeClient;
}

/**
 * The first of `ids` that answers a cheap probe (a limit-0 fetch of the shard). A source that is
 * down is skipped; all down is a retryable failure, so the activity waits for one to come back.
 */
export async function pickSource(nodes: WorkerNodeClients, ids: readonly string[], index: string, shard: number, prefer?: string): Promise<Picked> {
  const ordered = prefer !== undefined && ids.includes(prefer) ? [prefer, ...ids.filter((i) => i !== prefer)] : [...ids];
  const errors: string[] = [];
  for (const id of ordered) {
    try {
      const client = await nodes.get(id);
      await countShard(client, index, shard, { timeoutMs: 5_000, signal: cancellationSignal() });
      return { id, client };
    } catch (err) {
      if (isNodeUnavailable(err) || err instanceof UnknownNodeError || (isNodeHttpError(err) && err.status >= 500)) {
        errors.push((err as Error).message);
        continue;
      }
      throw toActivityFailure(id, err);
    }
  }
  throw ApplicationFailure.retryable(`no source of ${index} shard ${shard} answers: ${errors.join('; ') || 'no source listed'}`, 'MigrationSourceUnavailable');
}

/** Replaces these documents on a node (POST, whole documents) and waits for the node task. */
export async function writeDocuments(nodes: WorkerNodeClients, nodeId: string, index: string, docs: readonly Document[]): Promise<void> {
  if (docs.length === 0) return;
  await onNodeCall(nodeId, async () => {
    const client = await nodes.get(nodeId);
    const task = await client.addDocuments(index, JSON.stringify(docs), { contentType: 'application/json', replace: true }, { signal: cancellationSignal() });
    await expectSucceeded(client, nodeId, task.taskUid);
  });
}

/** Deletes documents by primary key on a node and waits for the node task. */
export async function deleteDocuments(nodes: WorkerNodeClients, nodeId: string, index: string, ids: ReadonlyArray<string | number>): Promise<void> {
  if (ids.length === 0) return;
  await onNodeCall(nodeId, async () => {
    const client = await nodes.get(nodeId);
    const task = await client.deleteDocumentsBatch(index, ids, { signal: cancellationSignal() });
    await expectSucceeded(client, nodeId, task.taskUid);
  });
}

/**
 * Deletes every document of `shard` on a node (idempotent; an index the node does not have counts
 * as already empty) and returns how many there were.
 */
export async function deleteShard(nodes: WorkerNodeClients, nodeId: string, index: string, shard: number): Promise<number> {
  // A removed node is out of the topology (and of the registry): what it holds no longer matters.
  if (!(await nodes.indexNodeIds()).includes(nodeId)) return 0;
  return onNodeCall(nodeId, async () => {
    const client = await nodes.get(nodeId);
    let before: number;
    try {
      before = await countShard(client, index, shard, { signal: cancellationSignal() });
    } catch (err) {
      if (isNodeHttpError(err, 'index_not_found')) return 0;
      throw err;
    }
    if (before === 0) return 0;
    const task = await client.deleteDocumentsByFilter(index, shardOnly(shard), { signal: cancellationSignal() });
    await expectSucceeded(client, nodeId, task.taskUid);
    return before;
  });
}

async function expectSucceeded(client: NodeClient, nodeId: string, taskUid: number): Promise<void> {
  const task = await client.waitForTask(taskUid, { timeoutMs: TASK_TIMEOUT_MS, maxIntervalMs: 250, signal: cancellationSignal() });
  if (task.status !== 'succeeded') {
    const msg = task.error?.message ?? `task ${taskUid} ended ${task.status}`;
    // A node that refuses our own documents back will refuse them again: stop and say why.
    throw ApplicationFailure.nonRetryable(`node ${nodeId}: ${msg}`, 'MigrationNodeTaskFailed', task.error ?? null);
  }
}

/** Runs a node call, mapping node errors to retryable/non-retryable activity failures. */
export async function onNodeCall<T>(nodeId: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ApplicationFailure) throw err;
    if (cancellationSignal()?.aborted) throw err; // let the SDK report the cancellation as such
    if (err instanceof UnknownNodeError) throw ApplicationFailure.retryable(err.message, 'MigrationUnknownNode');
    throw toActivityFailure(nodeId, err);
  }
}

/** The running activity's cancellation signal (undefined outside an activity, e.g. in unit tests). */
export function cancellationSignal(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return undefined;
  }
}

/** Throws the activity's cancellation if the workflow asked for it: checked between pages. */
export function throwIfCancelled(): void {
  const signal = cancellationSignal();
  if (signal?.aborted) throw signal.reason ?? new Error('activity cancelled');
}

/**
 * Heartbeats `details()` every `everyMs` until stopped, so a long node task (a big page being
 * indexed) does not look like a dead worker. The SDK throttles what it actually sends.
 */
export function heartbeatEvery(details: () => unknown, everyMs = 500): () => void {
  const ctx = Context.current();
  ctx.heartbeat(details());
  const timer = setInterval(() => ctx.heartbeat(details()), everyMs);
  return () => clearInterval(timer);
}
