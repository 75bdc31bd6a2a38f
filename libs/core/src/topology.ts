// The cluster model of docs/design.md#cluster-model: nodes in RG numbered replica groups, RF copies of each shard per
// group.

export type NodeState = 'joining' | 'active' | 'draining' | 'failed' | 'removed';

export interface TopologyNode {
  /** Stable, never reused. */
  readonly id: string;
  readonly address: string;
  /** Replica group, 0..RG-1. */
  readonly group: number;
  readonly state: NodeState;
}

export interface Topology {
  /** Monotonically increasing; every shard table is built for one version. */
  readonly version: number;
  readonly replicationFactor: number;
  /** RG, the number of replica groups. */
  readonly groups: number;
  readonly nodes: readonly TopologyNode[];
}

/** Nodes that hold data now: they own shards in the current placement. */
export function holdsData(state: NodeState): boolean {
  return state === 'active' || state === 'draining' || state === 'failed';
}

/**
 * Nodes that own shards once the running rebalance finishes: joining nodes come in, draining and
 * removed ones go. A failed node keeps its shards — it is expected back, its surviving replicas
 * serve meanwhile, and removing it is an explicit operator action (then it stops being a member
 * and its shards move).
 */
export function isDesiredMember(state: NodeState): boolean {
  return state === 'active' || state === 'joining' || state === 'failed';
}

/** Plain code-unit order: locale-independent, identical on every pod. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function nodesInGroup(topology: Topology, group: number): TopologyNode[] {
  return topology.nodes.filter((n) => n.group === group);
}

/** `queryGroup(seq) = seq mod RG`. */
export function queryGroup(topology: Topology, seq: number): number {
  const rg = topology.groups;
  return ((Math.trunc(seq) % rg) + rg) % rg;
}

/**
 * Every reason the topology cannot be used; empty when valid. Group size counts the nodes holding
 * data, since those are the ones the current placement assigns shards to.
 */
export function validateTopology(topology: Topology): string[] {
  const problems: string[] = [];
  const { replicationFactor: rf, groups } = topology;
  if (!Number.isInteger(topology.version) || topology.version < 0) {
    problems.push(`version must be a non-negative integer, got ${topology.version}`);
  }
  if (!Number.isInteger(rf) || rf < 1) problems.push(`replication factor must be an integer >= 1, got ${rf}`);
  if (!Number.isInteger(groups) || groups < 1) problems.push(`the number of replica groups must be an integer >= 1, got ${groups}`);
  const ids = new Set<string>();
  const size = new Map<number, number>();
  const joining = new Map<number, number>();
  for (const n of topology.nodes) {
    if (n.id === '') problems.push('node ids must be non-empty');
    if (ids.has(n.id)) problems.push(`duplicate node id "${n.id}"`);
    ids.add(n.id);
    if (!Number.isInteger(n.group) || n.group < 0 || n.group >= groups) {
      problems.push(`node "${n.id}" is in group ${n.group}, outside 0..${groups - 1}`);
    }
    if (holdsData(n.state)) size.set(n.group, (size.get(n.group) ?? 0) + 1);
    if (n.state === 'joining') joining.set(n.group, (joining.get(n.group) ?? 0) + 1);
  }
  for (let g = 0; g < groups; g++) {
    const count = size.get(g) ?? 0;
    // A group whose nodes are all joining is being built (an added replica group): it owns nothing
    // and serves nothing until the rebalance has copied its shards in.
    if (count === 0) {
      if ((joining.get(g) ?? 0) === 0) problems.push(`group ${g} has no node holding data`);
    } else if (Number.isInteger(rf) && rf > count) {
      problems.push(`group ${g} has ${count} node(s) holding data, fewer than the replication factor ${rf}`);
    }
  }
  return problems;
}

export class InvalidTopologyError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid topology: ${problems.join('; ')}`);
    this.name = 'InvalidTopologyError';
  }
}

export function assertValidTopology(topology: Topology): void {
  const problems = validateTopology(topology);
  if (problems.length > 0) throw new InvalidTopologyError(problems);
}
