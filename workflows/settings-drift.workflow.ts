import { continueAsNew, log, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { SettingsBroadcastActivities } from '../activities/settings-broadcast.activities';
import type { DriftCandidate, SettingsDriftActivities } from '../activities/settings-drift.activities';
import { nodeRetry } from './index-lifecycle.node-failure';

const db = proxyActivities<SettingsDriftActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 10 },
});
// A repair waits for the node's settings task, which may reindex the node's documents.
const repair = proxyActivities<SettingsBroadcastActivities>({ startToCloseTimeout: '11 minutes', retry: nodeRetry(3) });

/** Indexes listed per activity call. */
const PAGE = 100;

export interface SettingsDriftInput {
  /** Resume after this index uid (set by continue-as-new on a long run). */
  after?: string | null;
  /** Totals carried over by continue-as-new. */
  carried?: SettingsDriftResult;
}

export interface SettingsDriftResult {
  checked: number;
  repaired: Array<{ index: string; node: string }>;
  unfrozen: string[];
}

/**
 * The background drift check of docs/settings-and-indexes.md, run by a Temporal Schedule: every node must hold each
 * index's committed settings (the hash stored by the last settings change that converged). A node
 * that differs — changed out of band, restored from an old backup, or down during a change — is
 * repaired from a node that holds them. An index frozen for writes because a change could not
 * converge is unfrozen once every node holds its committed settings again: that change's task
 * failed, so the committed settings are the ones clients were told are in force.
 */
export async function settingsDriftWorkflow(input: SettingsDriftInput = {}): Promise<SettingsDriftResult> {
  const result: SettingsDriftResult = input.carried ?? { checked: 0, repaired: [], unfrozen: [] };
  let after = input.after ?? null;
  for (;;) {
    const { indexes, nodes } = await db.listSettingsDriftCandidates({ after, limit: PAGE });
    for (const index of indexes) {
      await checkIndex(index, nodes, result);
      after = index.uid;
    }
    if (indexes.length < PAGE) return result;
    if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof settingsDriftWorkflow>({ after, carried: result });
  }
}

async function checkIndex(index: DriftCandidate, nodes: readonly string[], result: SettingsDriftResult): Promise<void> {
  result.checked++;
  const byNode = new Map(Object.entries(await db.readSettingsHashes({ indexUid: index.uid, nodeIds: [...nodes] })));
  const holding = nodes.find((n) => byNode.get(n) === index.hash);
  const diverged = nodes.filter((n) => byNode.get(n) != null && byNode.get(n) !== index.hash);
  if (holding === undefined) {
    if (diverged.length > 0) log.warn('no reachable node holds the committed settings; not repaired', { index: index.uid, nodes: diverged });
    return;
  }
  if (diverged.length > 0) {
    log.warn('settings drift: repairing nodes', { index: index.uid, nodes: diverged, from: holding });
    await Promise.allSettled(diverged.map((toNodeId) => repair.repairSettingsOnNode({ indexUid: index.uid, fromNodeId: holding, toNodeId })));
    const after = await db.readSettingsHashes({ indexUid: index.uid, nodeIds: diverged });
    for (const node of diverged) {
      if (after[node] !== index.hash) continue;
      byNode.set(node, index.hash);
      result.repaired.push({ index: index.uid, node });
    }
  }
  if (index.frozen && nodes.every((n) => byNode.get(n) === index.hash) && (await db.unfreezeSettings({ indexUid: index.uid, hash: index.hash }))) {
    log.info('settings converged again: index unfrozen for writes', { index: index.uid });
    result.unfrozen.push(index.uid);
  }
}
