// Placements: who owns each shard in each group, now (current) and once the running rebalance is
// done (desired); their difference is the minimum set of shard moves.

import { assertShardCount } from '../hashing';
import { NodeState, Topology, TopologyNode, assertValidTopology, holdsData, isDesiredMember } from '../topology';
import { assign } from './rendezvous';

/** `owners[group][shard]`: the RF owners of every shard in every group. */
export interface Placement {
  readonly shardCount: number;
  readonly owners: readonly (readonly (readonly string[])[])[];
}

function placement(topology: Topology, shardCount: number, takesPart: (s: NodeState) => boolean): Placement {
  assertShardCount(shardCount);
  const owners: string[][][] = [];
  for (let g = 0; g < topology.groups; g++) {
    const ids = topology.nodes.filter((n: TopologyNode) => n.group === g && takesPart(n.state)).map((n) => n.id);
    const row: string[][] = [];
    for (let s = 0; s < shardCount; s++) row.push(assign(s, ids, topology.replicationFactor));
    owners.push(row);
  }
  return { shardCount, owners };
}

/** Where shards live now: HRW over nodes holding data (active, draining, failed). */
export function currentPlacement(topology: Topology, shardCount: number): Placement {
  assertValidTopology(topology);
  return placement(topology, shardCount, holdsData);
}

/** Where the rebalance moves shards: HRW over active, joining and failed nodes (see isDesiredMember). */
export function desiredPlacement(topology: Topology, shardCount: number): Placement {
  return placement(topology, shardCount, isDesiredMember);
}

export interface ShardMove {
  readonly group: number;
  readonly shard: number;
  readonly from: readonly string[];
  readonly to: readonly string[];
  /** Nodes that receive the shard (copy targets). */
  readonly gaining: readonly string[];
  /** Nodes that give it up (deleted from after cut-over). */
  readonly losing: readonly string[];
}

/** Per (group, shard), the owners that change: the minimum move set of a rebalance. */
export function diffPlacement(current: Placement, desired: Placement): ShardMove[] {
  if (current.shardCount !== desired.shardCount || current.owners.length !== desired.owners.length) {
    throw new RangeError('placements of different shard counts or group counts cannot be compared');
  }
  const moves: ShardMove[] = [];
  current.owners.forEach((row, group) => {
    row.forEach((from, shard) => {
      const to = desired.owners[group]![shard]!;
      const gaining = to.filter((n) => !from.includes(n));
      const losing = from.filter((n) => !to.includes(n));
      if (gaining.length > 0 || losing.length > 0) moves.push({ group, shard, from, to, gaining, losing });
    });
  });
  return moves;
}

/** The topology after a finished rebalance: joining nodes active, draining nodes removed, version bumped. */
export function finishRebalance(topology: Topology): Topology {
  return {
    ...topology,
    version: topology.version + 1,
    nodes: topology.nodes.map((n) =>
      n.state === 'joining' ? { ...n, state: 'active' } : n.state === 'draining' ? { ...n, state: 'removed' } : n,
    ),
  };
}
