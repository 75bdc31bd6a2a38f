import { condition, continueAsNew, defineQuery, defineSignal, log, proxyActivities, setHandler, sleep, upsertMemo, workflowInfo } from '@temporalio/workflow';
import type { NodeApplyOutcome, SettingsBroadcastActivities } from '../activities/settings-broadcast.activities';
import { taskError } from './index-lifecycle.contract';
import { nodeFailureError, nodeRetry } from './index-lifecycle.node-failure';
import {
  ENQUEUE_SETTINGS_CHANGE_SIGNAL,
  PENDING_SETTINGS_QUERY,
  toNodePatch,
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

/** How long an idle run waits for another change before it completes. */
const LINGER = '2s';
/** Changes per run before continuing as new, to keep the history short. */
const CHANGES_PER_RUN = 100;
/** Memo keeps the last changes of this run for the Temporal UI. */
const MEMO_CHANGES = 20;

type NodeResult = NodeApplyOutcome | { outcome: 'unavailable' };

/**
 * The one settings writer of an index (workflow id `settings:{index}`, SPEC §8–§9). Changes are
 * queued: the API signals-with-start each accepted change, so a second change made while one is in
 * flight waits its turn in this run instead of racing it on the nodes. Each change is two-phase:
 *   propose — PATCH every node and wait for the node tasks;
 *   verify  — read every node's settings back and compare canonical hashes; a node that differs is
 *             repaired (re-applied from a node that took the change) with backoff;
 *   commit  — bump the index's settings version and store the hash, task succeeded.
 * A change every node refuses (Meilisearch's own asynchronous validation) fails its task and
 * changes nothing. A change that cannot converge freezes the index for writes and fails its task;
 * the next change that converges unfreezes it.
 */
export async function settingsBroadcastWorkflow(input: SettingsBroadcastInput): Promise<{ processed: number }> {
  const queue: SettingsChange[] = [...(input.pending ?? [])];
  const seen = new Set(queue.map((c) => c.taskUid));
  const done: Array<{ taskUid: number; requestedBy: string; outcome: string }> = [];
  setHandler(enqueueSettingsChange, (change) => {
    // Signal-with-start may deliver a change twice (a retried API call): once is enough.
    if (seen.has(change.taskUid)) return;
    seen.add(change.taskUid);
    queue.push(change);
  });
  setHandler(pendingSettingsChanges, () => queue.map((c) => c.taskUid));

  let processed = 0;
  for (;;) {
    while (queue.length > 0) {
      if (processed >= CHANGES_PER_RUN || workflowInfo().continueAsNewSuggested) {
        await continueAsNew<typeof settingsBroadcastWorkflow>({ ...input, pending: queue });
      }
      const change = queue.shift()!;
      const outcome = await applyChange(input.indexUid, change, input.options ?? {}, () => queue.length === 0);
      processed++;
      done.push({ taskUid: change.taskUid, requestedBy: change.requestedBy, outcome });
      upsertMemo({ changes: done.slice(-MEMO_CHANGES) });
    }
    if (await condition(() => queue.length > 0, LINGER)) continue;
    await db.settleSettingsState({ indexUid: input.indexUid });
    // A change signalled while settling is handled by this run (the API marked it in flight).
    if (queue.length === 0) return { processed };
  }
}

async function applyChange(indexUid: string, change: SettingsChange, options: SettingsBroadcastOptions, lastQueued: () => boolean): Promise<string> {
  const { taskUid } = change;
  const begun = await db.beginSettingsChange({ indexUid, taskUid });
  if (!begun.exists) {
    await db.failSettingsChange({ indexUid, taskUid, error: taskError('index_not_found', `Index \`${indexUid}\` not found.`) });
    return 'failed';
  }
  const node = proxyActivities<SettingsBroadcastActivities>({ startToCloseTimeout: '11 minutes', retry: nodeRetry(options.nodeAttempts ?? 5) });
  const nodePatch = toNodePatch(change.patch);

  // Propose.
  const settled = await Promise.allSettled(begun.nodes.map((nodeId) => node.applySettingsOnNode({ nodeId, indexUid, patch: nodePatch })));
  const results: NodeResult[] = settled.map((s) => (s.status === 'fulfilled' ? s.value : { outcome: 'unavailable' }));
  const tookIt = begun.nodes.filter((_, i) => results[i]!.outcome === 'succeeded');
  if (tookIt.length === 0) {
    const refused = results.find((r): r is Extract<NodeApplyOutcome, { outcome: 'failed' }> => r.outcome === 'failed');
    if (refused) {
      // Every reachable node refused it: Meilisearch's own answer to this change; nothing changed.
      await db.failSettingsChange({ indexUid, taskUid, error: refused.error, settle: lastQueued() });
      return 'failed';
    }
    const error = nodeFailureError((settled.find((s) => s.status === 'rejected') as PromiseRejectedResult | undefined)?.reason, begun.nodes[0] ?? '?').error;
    await db.failSettingsChange({ indexUid, taskUid, error, settle: lastQueued() });
    return 'failed';
  }

  // Verify, repairing with backoff.
  const rounds = options.repairRounds ?? 5;
  let backoff = options.repairBackoffMs ?? 1_000;
  for (let round = 0; ; round++) {
    const hashes = await Promise.allSettled(begun.nodes.map((nodeId) => node.readSettingsHash({ nodeId, indexUid })));
    const byNode = new Map(begun.nodes.map((n, i) => [n, hashes[i]!.status === 'fulfilled' ? (hashes[i] as PromiseFulfilledResult<string>).value : undefined]));
    const reference = majorityHash(tookIt.map((n) => byNode.get(n)).filter((h): h is string => h !== undefined));
    const referenceNode = tookIt.find((n) => byNode.get(n) === reference);
    const diverged = begun.nodes.filter((n) => byNode.get(n) !== reference);
    if (reference !== undefined && referenceNode !== undefined && diverged.length === 0) {
      const version = await db.commitSettingsChange({ indexUid, taskUid, expectedVersion: begun.version, hash: reference, settle: lastQueued() });
      log.info('settings change committed', { index: indexUid, taskUid, version });
      return 'succeeded';
    }
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
