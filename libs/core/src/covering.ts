// docs/design.md#shard-assignment, docs/design.md#read-path: which nodes a search goes to so that every shard is answered exactly once.

import { ShardTable } from './assignment/shard-table';

export interface CoveringTarget {
  readonly nodeId: string;
  readonly group: number;
  /** The shards this node answers for, ascending. */
  readonly shards: readonly number[];
  /**
   * True unless the node answers for every shard of the index. A node usually holds more shards
   * than it is asked for (RF=2 over 3 nodes, migration leftovers), so its query must then be
   * restricted with withShardFilter(filter, shards) or documents would be counted twice.
   */
  readonly needsShardFilter: boolean;
}

export interface CoveringSet {
  readonly group: number;
  /** One entry per node, ordered by node id: the merge's deterministic node order. */
  readonly targets: readonly CoveringTarget[];
  /** Shards answered by another group because the preferred one has no healthy replica of them. */
  readonly fallbackShards: readonly number[];
  /** Shards no healthy replica in any group can answer (policy `partial` or `error`, docs/design.md#read-path). */
  readonly uncovered: readonly number[];
}

export interface CoveringOptions {
  /** Health as this process sees it; by default every node not in state `failed`. */
  readonly isHealthy?: (nodeId: string) => boolean;
  /** Rotation counter (e.g. the request sequence) spreading shards over replicas across requests. */
  readonly rotation?: number;
  /** Only these shards (the PK planner's answer); all by default. */
  readonly shards?: readonly number[];
}

/**
 * One healthy replica per shard in `group`, rotating among replicas (by rotation + shard, so one
 * request spreads evenly and successive requests alternate), deduplicated per node; shards the
 * group cannot serve fall back to the next groups in order; the rest are uncovered.
 */
export function coveringSet(table: ShardTable, group: number, options: CoveringOptions = {}): CoveringSet {
  if (!Number.isInteger(group) || group < 0 || group >= table.groupCount) {
    throw new RangeError(`group ${group} outside 0..${table.groupCount - 1}`);
  }
  const isHealthy = options.isHealthy ?? ((id: string) => table.nodes.get(id)?.state !== 'failed');
  const health = new Map<string, boolean>();
  const up = (id: string): boolean => {
    let h = health.get(id);
    if (h === undefined) health.set(id, (h = isHealthy(id)));
    return h;
  };
  const rotation = Math.abs(Math.trunc(options.rotation ?? 0));
  const wanted = options.shards ? [...new Set(options.shards)].sort((a, b) => a - b) : [...Array(table.shardCount).keys()];
  const assigned = new Map<string, { group: number; shards: number[] }>();
  const fallbackShards: number[] = [];
  const uncovered: number[] = [];
  for (const shard of wanted) {
    let chosen: string | undefined;
    let chosenGroup = group;
    for (let k = 0; k < table.groupCount && chosen === undefined; k++) {
      const g = (group + k) % table.groupCount;
      const healthy = table.owners(g, shard).filter(up);
      if (healthy.length === 0) continue;
      chosen = healthy[(rotation + shard) % healthy.length]!;
      chosenGroup = g;
      if (k > 0) fallbackShards.push(shard);
    }
    if (chosen === undefined) {
      uncovered.push(shard);
      continue;
    }
    const entry = assigned.get(chosen);
    if (entry) entry.shards.push(shard);
    else assigned.set(chosen, { group: chosenGroup, shards: [shard] });
  }
  const targets = [...assigned.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([nodeId, e]): CoveringTarget => ({
      nodeId,
      group: e.group,
      shards: e.shards,
      needsShardFilter: e.shards.length < table.shardCount,
    }));
  return { group, targets, fallbackShards, uncovered };
}

/** The filter expression restricting a node's answer to `shards`. */
export function shardFilter(shards: readonly number[]): string {
  return `_miroir_shard IN [${shards.join(', ')}]`;
}

/**
 * The client's filter (string, array form, or none) ANDed with a shard restriction, in the array
 * form so the client's expression — and any error in it — reaches the node untouched. Validate the
 * client's filter's type first: a non-string, non-array filter must be rejected, not wrapped.
 */
export function withShardFilter(clientFilter: unknown, shards: readonly number[]): unknown[] {
  const restriction = shardFilter(shards);
  if (clientFilter === undefined || clientFilter === null) return [restriction];
  if (Array.isArray(clientFilter)) return [...clientFilter, restriction];
  return [clientFilter, restriction];
}
