import { condition, continueAsNew, defineQuery, defineSignal, log, proxyActivities, setHandler, sleep, upsertMemo, workflowInfo } from '@temporalio/workflow';
import type { NodeApplyOutcome, SettingsBroadcastActivities } from '../activities/settings-broadcast.activities';
import { taskError, type TaskError } from './index-lifecycle.contract';
import { nodeFailureError, nodeRetry } from './index-lifecycle.node-failure';
import {
  ENQUEUE_SETTINGS_CHANGE_SIGNAL,
  PENDING_SETTINGS_QUERY,
  toNodePatch,
  type DispatchedChange,
  type NodeDispatch,
  type SettingsBroadcastInput,
  type SettingsBroadcastOptions,
  type SettingsChange,
} from './settings-broadcast.contract';


export const enqueueSettingsChange = defineSignal<[SettingsChange]>(ENQUEUE_SETTINGS_CHANGE_SIGNAL);
export const pendingSettingsChanges = defineQuery<number[]>(PENDING_SETTINGS_QUERY);

const db = proxyActivities<SettingsBroadcastActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 30 },
});

/** Node steps: enqueuing answers at once; waiting for a node task may take a while (10 minutes). */
const nodeSteps = (options: SettingsBroadcastOptions) => ({
  enqueue: proxyActivities<SettingsBroadcastActivities>({ startToCloseTimeout: '30s', retry: nodeRetry(options.nodeAttempts ?? 5) }),
  wait: proxyActivities<SettingsBroadcastActivities>({ startToCloseTimeout: '11 minutes', retry: nodeRetry(options.nodeAttempts ?? 5) }),
});

/** How long an idle run waits for another change before it completes. */
const LINGER = '2s';
/** Changes per run before continuing as new, to keep the history short. */
const CHANGES_PER_RUN = 100;
/** Memo keeps the last changes of this run for the Temporal UI. */
const MEMO_CHANGES = 20;

type NodeResult = NodeApplyOutcome | { outcome: 'unavailable'; error: TaskError };

/** The run's shared state: changes waiting to be enqueued, and enqueued ones waiting to be committed. */
interface Run {
  indexUid: string;
  options: SettingsBroadcastOptions;
  queue: SettingsChange[];
  dispatched: DispatchedChange[];
  /** Changes enqueued so far (only grows): tells a verification that a later change reached the nodes meanwhile. */
  dispatchCount: number;
  /** Per node, the last node task seen finished (nodes run them in order: every earlier one is done too). */
  finishedOnNode: Map<string, number>;
  /** The dispatcher is enqueuing a change. */
  dispatching: boolean;
  /** Continue-as-new is waiting: the dispatcher takes no new change. */
  paused: boolean;
  dispatcherFailure?: unknown;
}

/**
 * The one settings writer of an index (workflow id `settings:{index}`, docs/design.md#workflows, docs/settings-and-indexes.md). Changes are
 * queued: the API signals-with-start each accepted change, so changes never race each other on
 * the nodes. Two loops share the run:
 *   dispatch — enqueues every queued change on every node as soon as it arrives, in order, and
 *              marks its task dispatched: nodes run an index's tasks in arrival order, so a document
 *              write the API sends after that runs after the change (docs/architecture.md, "Task
 *              order"), however long the change takes on the nodes;
 *   commit   — takes the enqueued changes in order: waits for the change's node tasks, verifies
 *              (reads every node's settings back once the nodes ran every change enqueued so far, and
 *              compares canonical hashes; a node that differs is repaired — re-applied from a node
 *              that took the change — with backoff), then bumps the index's settings version and
 *              stores the hash, task succeeded.
 * A change every node refuses (Meilisearch's own asynchronous validation) fails its task alone and
 * changes nothing. A change that cannot converge freezes the index for writes and fails its task;
 * the next change that converges unfreezes it.
 */
export async function settingsBroadcastWorkflow(input: SettingsBroadcastInput): Promise<{ processed: number }> {
  const run: Run = {
    indexUid: input.indexUid,
    options: input.options ?? {},
    queue: [...(input.pending ?? [])],
    dispatched: [...(input.dispatched ?? [])],
    dispatchCount: 0,
    finishedOnNode: new Map(),
    dispatching: false,
    paused: false,
  };
  const seen = new Set([...run.queue, ...run.dispatched.map((d) => d.change)].map((c) => c.taskUid));
  const done: Array<{ taskUid: number; requestedBy: string; outcome: string }> = [];
  setHandler(enqueueSettingsChange, (change) => {
    // Signal-with-start may deliver a change twice (a retried API call): once is enough.
    if (seen.has(change.taskUid)) return;
    seen.add(change.taskUid);
    run.queue.push(change);
  });
  setHandler(pendingSettingsChanges, () => [...run.dispatched.map((d) => d.change.taskUid), ...run.queue.map((c) => c.taskUid)]);
  void dispatcher(run);

  let processed = 0;
  for (;;) {
    if (run.dispatcherFailure !== undefined) throw run.dispatcherFailure;
    if (run.dispatched.length > 0) {
      if (processed >= CHANGES_PER_RUN || workflowInfo().continueAsNewSuggested) {
        run.paused = true;
        await condition(() => !run.dispatching);
        await continueAsNew<typeof settingsBroadcastWorkflow>({ ...input, pending: run.queue, dispatched: run.dispatched });
      }
      const d = run.dispatched[0]!;
      const outcome = d.failed ? 'failed' : await commitChange(run, d);
      run.dispatched.shift();
      processed++;
      done.push({ taskUid: d.change.taskUid, requestedBy: d.change.requestedBy, outcome });
      upsertMemo({ changes: done.slice(-MEMO_CHANGES) });
      continue;
    }
    if (await condition(() => run.dispatched.length > 0 || run.dispatcherFailure !== undefined, LINGER)) continue;
    if (run.queue.length > 0 || run.dispatching) continue;
    await db.settleSettingsState({ indexUid: run.indexUid });
    // A change signalled while settling is handled by this run (the API marked it in flight).
    if (run.queue.length === 0 && !run.dispatching && run.dispatched.length === 0) return { processed };
  }
}

/** Enqueues queued changes on the nodes, one change at a time, in the order they were accepted. */
async function dispatcher(run: Run): Promise<void> {
  try {
    for (;;) {
      await condition(() => run.queue.length > 0 && !run.paused);
      run.dispatching = true;
      const d = await dispatchChange(run, run.queue[0]!);
      run.queue.shift();
      run.dispatched.push(d);
      run.dispatchCount++;
      run.dispatching = false;
    }
  } catch (err) {
    // Only a database step can get here (after its retries): the main loop fails the run with it.
    run.dispatcherFailure = err;
  }
}

async function dispatchChange(run: Run, change: SettingsChange): Promise<DispatchedChange> {
  const { indexUid } = run;
  const { taskUid } = change;
  const prepared = await db.prepareSettingsDispatch({ indexUid, taskUid });
  if (!prepared.exists) {
    await db.failSettingsChange({ indexUid, taskUid, error: taskError('index_not_found', `Index \`${indexUid}\` not found.`) });
    return { change, nodes: [], results: [], failed: true };
  }
  const patch = toNodePatch(change.patch);
  const { enqueue } = nodeSteps(run.options);
  const settled = await Promise.allSettled(prepared.nodes.map((nodeId) => enqueue.enqueueSettingsOnNode({ nodeId, indexUid, patch })));
  const results: NodeDispatch[] = settled.map((s, i) =>
    s.status === 'fulfilled' ? s.value : { outcome: 'unavailable', error: nodeFailureError(s.reason, prepared.nodes[i]!).error },
  );
  // A node that did not answer missed the change: the verification repairs it.
  await db.markSettingsDispatched({ indexUid, taskUid });
  return { change, nodes: prepared.nodes, results };
}

/** The outcome of one node's task for a dispatched change. */
async function nodeResult(run: Run, nodeId: string, dispatched: NodeDispatch): Promise<NodeResult> {
  if (dispatched.outcome !== 'enqueued') return dispatched;
  try {
    return await waitOnNode(run, nodeId, dispatched.nodeTaskUid);
  } catch (err) {
    return { outcome: 'unavailable', error: nodeFailureError(err, nodeId).error };
  }
}

async function waitOnNode(run: Run, nodeId: string, nodeTaskUid: number): Promise<NodeApplyOutcome> {
  const outcome = await nodeSteps(run.options).wait.waitSettingsNodeTask({ nodeId, nodeTaskUid });
  run.finishedOnNode.set(nodeId, Math.max(run.finishedOnNode.get(nodeId) ?? -1, nodeTaskUid));
  return outcome;
}

/** Waits until every node ran every change enqueued on it so far (nodes run them in order: the last is enough). */
async function nodesCaughtUp(run: Run): Promise<void> {
  const last = new Map<string, number>();
  for (const d of run.dispatched) {
    d.nodes.forEach((nodeId, i) => {
      const r = d.results[i];
      if (r?.outcome === 'enqueued') last.set(nodeId, Math.max(last.get(nodeId) ?? -1, r.nodeTaskUid));
    });
  }
  const behind = [...last].filter(([nodeId, nodeTaskUid]) => (run.finishedOnNode.get(nodeId) ?? -1) < nodeTaskUid);
  await Promise.allSettled(behind.map(([nodeId, nodeTaskUid]) => waitOnNode(run, nodeId, nodeTaskUid)));
}

/** Waits for, verifies and commits the oldest dispatched change; returns its outcome for the memo. */
async function commitChange(run: Run, d: DispatchedChange): Promise<string> {
  const { indexUid } = run;
  const { taskUid } = d.change;
  const lastQueued = () => run.queue.length === 0 && run.dispatched.length <= 1;
  const begun = await db.beginSettingsChange({ indexUid, taskUid });
  if (!begun.exists) {
    await db.failSettingsChange({ indexUid, taskUid, error: taskError('index_not_found', `Index \`${indexUid}\` not found.`), settle: lastQueued() });
    return 'failed';
  }
  const results = await Promise.all(d.nodes.map((nodeId, i) => nodeResult(run, nodeId, d.results[i]!)));
  const tookIt = d.nodes.filter((_, i) => results[i]!.outcome === 'succeeded');
  if (tookIt.length === 0) {
    // Every reachable node refused it: Meilisearch's own answer to this change; nothing changed.
    // Else no node answered: the first node's unavailability.
    const refused = results.find((r) => r.outcome === 'failed') ?? results.find((r) => r.outcome === 'unavailable');
    const error = refused && 'error' in refused ? refused.error : taskError('miroir_node_unavailable', 'No node holds the index.', 'system');
    await db.failSettingsChange({ indexUid, taskUid, error, settle: lastQueued() });
    return 'failed';
  }
  return verifyAndCommit(run, d, tookIt, begun.version, lastQueued);
}

/** Verify, repairing with backoff; commit once every node holds the same settings, else freeze. */
async function verifyAndCommit(run: Run, d: DispatchedChange, tookIt: string[], version: number, lastQueued: () => boolean): Promise<string> {
  const { indexUid } = run;
  const { taskUid } = d.change;
  const { wait: node } = nodeSteps(run.options);
  const rounds = run.options.repairRounds ?? 5;
  let backoff = run.options.repairBackoffMs ?? 1_000;
  for (let round = 0; ; ) {
    const dispatchedBefore = run.dispatchCount;
    // Nodes are compared in the same state: after every change enqueued so far.
    await nodesCaughtUp(run);
    const hashes = await Promise.allSettled(d.nodes.map((nodeId) => node.readSettingsHash({ nodeId, indexUid })));
    const byNode = new Map(d.nodes.map((n, i) => [n, hashes[i]!.status === 'fulfilled' ? (hashes[i] as PromiseFulfilledResult<string>).value : undefined]));
    const reference = majorityHash(tookIt.map((n) => byNode.get(n)).filter((h): h is string => h !== undefined));
    const referenceNode = tookIt.find((n) => byNode.get(n) === reference);
    const diverged = d.nodes.filter((n) => byNode.get(n) !== reference);
    if (reference !== undefined && referenceNode !== undefined && diverged.length === 0) {
      const committed = await db.commitSettingsChange({ indexUid, taskUid, expectedVersion: version, hash: reference, settle: lastQueued() });
      log.info('settings change committed', { index: indexUid, taskUid, version: committed });
      return 'succeeded';
    }
    // A later change reached the nodes while they were read: some may have run it already.
    if (run.dispatchCount !== dispatchedBefore) continue;
    if (round >= rounds || referenceNode === undefined) {
      const reason = `settings differ on ${diverged.join(', ')} after ${round} repair round(s)`;
      await db.failSettingsChange({
        indexUid,
        taskUid,
        freezeReason: reason,
        error: taskError(
          'miroir_settings_not_converged',
          `The settings change could not be applied identically on every node (${reason}). Writes to \`${indexUid}\` are refused until a settings change converges.`,
          'system',
        ),
      });
      return 'frozen';
    }
    await sleep(backoff);
    backoff = Math.min(backoff * 2, 30_000);
    round++;
    await Promise.allSettled(diverged.map((toNodeId) => node.repairSettingsOnNode({ indexUid, fromNodeId: referenceNode, toNodeId })));
  }
}

/** The most common hash (ties: the smallest, so every replay picks the same). */
function majorityHash(hashes: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const h of hashes) counts.set(h, (counts.get(h) ?? 0) + 1);
  let best: string | undefined;
  for (const [h, c] of counts) if (best === undefined || c > counts.get(best)! || (c === counts.get(best)! && h < best)) best = h;
  return best;
}
