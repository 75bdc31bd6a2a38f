import type { TaskStatus } from '@miroir/core';
import type { StoredNodeTask } from './node-task';

export interface ReplicaLayout {
  /** The group of a node, undefined for a node no longer in the topology. */
  groupOf(nodeId: string): number | undefined;
  replicationFactor: number;
}

/**
 * A finished task's details as Meilisearch reports them, from the client-level details recorded
 * at enqueue time and the node tasks' counts. Every document lives on RG×RF nodes, so node counts
 * are not added up: a group's nodes hold RF copies of each document, so a group's count is its
 * nodes' sum divided by RF, and the task reports the largest group count (a group that missed a
 * replica under a degraded write undercounts, the others do not).
 */
export function finalDetails(
  type: string,
  details: Record<string, unknown> | null,
  status: TaskStatus,
  nodeTasks: readonly StoredNodeTask[],
  layout: ReplicaLayout,
): Record<string, unknown> | null {
  if (details === null) return null;
  const ok = status === 'succeeded';
  if (type === 'documentAdditionOrUpdate') {
    const received = typeof details.receivedDocuments === 'number' ? details.receivedDocuments : 0;
    return { ...details, indexedDocuments: ok ? received : 0 };
  }
  if (type === 'documentDeletion') {
    return { ...details, deletedDocuments: ok ? copiesCount(nodeTasks, layout, 'deletedDocuments') : 0 };
  }
  if (type === 'documentEdition') {
    // As Meilisearch: a failed edition reports 0 edited and no deleted count.
    return ok
      ? { ...details, editedDocuments: copiesCount(nodeTasks, layout, 'editedDocuments'), deletedDocuments: copiesCount(nodeTasks, layout, 'deletedDocuments') }
      : { ...details, editedDocuments: 0, deletedDocuments: null };
  }
  return details;
}

function copiesCount(nodeTasks: readonly StoredNodeTask[], layout: ReplicaLayout, field: 'deletedDocuments' | 'editedDocuments'): number {
  const perGroup = new Map<number, number>();
  for (const t of nodeTasks) {
    const g = layout.groupOf(t.nodeId);
    if (g === undefined) continue;
    perGroup.set(g, (perGroup.get(g) ?? 0) + (t[field] ?? 0));
  }
  let best = 0;
  for (const sum of perGroup.values()) best = Math.max(best, Math.round(sum / Math.max(1, layout.replicationFactor)));
  return best;
}
