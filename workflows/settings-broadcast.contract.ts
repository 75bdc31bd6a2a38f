// Names, shapes and the pure reserved-attribute rules shared by the settingsBroadcast workflow,
// its activities and the API. Type imports only: safe in the workflow sandbox and in Node processes.
import type { TaskError } from './index-lifecycle.contract';

export const SETTINGS_BROADCAST_WORKFLOW = 'settingsBroadcastWorkflow';
export const ENQUEUE_SETTINGS_CHANGE_SIGNAL = 'enqueueSettingsChange';
export const PENDING_SETTINGS_QUERY = 'pendingSettingsChanges';

/** Fields Miroir keeps filterable on every node whatever the client sends (docs/settings-and-indexes.md). */
export const RESERVED_FILTERABLE = ['_miroir_shard'] as const;
const RESERVED_PREFIX = '_miroir_';

/**
 * One accepted settings change. `patch` is a Meilisearch PATCH /settings body as the client means
 * it (a sub-route write is the same patch with one field; `null` resets a field).
 */
export interface SettingsChange {
  taskUid: number;
  patch: Record<string, unknown>;
  requestedBy: string;
}

/** What enqueuing a change on one node gave: its node task, a refusal, or no answer. */
export type NodeDispatch =
  | { outcome: 'enqueued'; nodeTaskUid: number }
  | { outcome: 'failed'; error: TaskError }
  | { outcome: 'unavailable'; error: TaskError };

/** A change enqueued on the nodes (`results[i]` is for `nodes[i]`), waiting to be verified and committed. */
export interface DispatchedChange {
  change: SettingsChange;
  nodes: string[];
  results: NodeDispatch[];
  /** The change failed before reaching any node (its index no longer exists). */
  failed?: boolean;
}

export interface SettingsBroadcastOptions {
  /** Attempts per node call before the node counts as failed (default 5). */
  nodeAttempts?: number;
  /** Read-back/repair rounds before the index is frozen (default 5). */
  repairRounds?: number;
  /** First repair backoff in ms (default 1 000), doubling up to 30 s. */
  repairBackoffMs?: number;
}

export interface SettingsBroadcastInput {
  indexUid: string;
  /** Changes carried over by continue-as-new, not enqueued on the nodes yet; new ones arrive by signal. */
  pending?: SettingsChange[];
  /** Changes carried over by continue-as-new, enqueued on the nodes but not committed yet. */
  dispatched?: DispatchedChange[];
  options?: SettingsBroadcastOptions;
}

/**
 * The patch sent to nodes: identical to the client's, except that `filterableAttributes` always
 * keeps the reserved fields (a reset becomes "only the reserved fields"), and reserved names the
 * client sent in any attribute list are dropped (responses hide them anyway).
 */
export function toNodePatch(patch: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(patch)) out[name] = Array.isArray(value) ? withoutReservedNames(value) : value;
  if ('filterableAttributes' in out) {
    const client = Array.isArray(out.filterableAttributes) ? out.filterableAttributes : [];
    out.filterableAttributes = [...client, ...RESERVED_FILTERABLE];
  }
  return out;
}

/** Drops reserved attribute names (plain strings) from a list; other items are kept as they are. */
export function withoutReservedNames(list: readonly unknown[]): unknown[] {
  return list.filter((item) => !(typeof item === 'string' && item.startsWith(RESERVED_PREFIX)));
}

/**
 * A node's settings as the client may see them: reserved names removed from every attribute list
 * (filterable above all; the others in case an operator added one on a node by hand).
 */
export function hideReserved<T extends Record<string, unknown>>(settings: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(settings)) out[name] = Array.isArray(value) ? withoutReservedNames(value) : value;
  return out as T;
}

/** One setting's value (sub-route GET) as the client may see it. */
export function hideReservedValue(value: unknown): unknown {
  return Array.isArray(value) ? withoutReservedNames(value) : value;
}
