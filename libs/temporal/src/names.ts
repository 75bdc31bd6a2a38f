// Task queue and workflow-ID conventions. Workflow IDs make singletons (docs/design.md#processes-and-layout, docs/design.md#workflows): starting a
// second rebalance or a second settings change of one index is rejected by Temporal itself.

export const DEFAULT_TASK_QUEUE = 'miroir';

export const workflowIds = {
  rebalance: (): string => 'rebalance',
  settings: (index: string): string => `settings:${index}`,
  indexLifecycle: (index: string, op: 'create' | 'delete'): string => `index:${op}:${index}`,
  migration: (index: string, group: number, shard: number): string => `migration:${index}:${group}:${shard}`,
  rollover: (policy: string): string => `rollover:${policy}`,
  canary: (name: string): string => `canary:${name}`,
  reshard: (index: string): string => `reshard:${index}`,
  cdcBackfill: (sink: string, index: string): string => `cdc-backfill:${sink}:${index}`,
  dumpImport: (id: string): string => `dump-import:${id}`,
  taskPrune: (): string => 'task-prune',
  statePrune: (): string => 'state-prune',
  settingsDrift: (): string => 'settings-drift',
  antiEntropy: (): string => 'anti-entropy',
} as const;

/** Temporal Schedule IDs for recurring operations. */
export const scheduleIds = {
  taskPrune: (): string => 'miroir-task-prune',
  statePrune: (): string => 'miroir-state-prune',
  settingsDrift: (): string => 'miroir-settings-drift',
  antiEntropy: (): string => 'miroir-anti-entropy',
  ttlSweep: (): string => 'miroir-ttl-sweep',
  canary: (name: string): string => `miroir-canary:${name}`,
  rollover: (policy: string): string => `miroir-rollover:${policy}`,
} as const;

/** Link to a workflow in the Temporal Web UI. */
export function workflowUiUrl(uiBase: string, namespace: string, workflowId: string): string {
  const base = uiBase.replace(/\/+$/, '');
  return `${base}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
