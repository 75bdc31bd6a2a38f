// The rebalance plan as a pure function of (topology, indexes, migration rows): per index and
// group, the shards whose effective owners differ from the desired ones. "Effective" is the base
// placement with finished (cut_over) migration rows overlaid — those shards already live on their
// new owners, so a rebalance resumed after a cancel or a crash does not move them again.
//
// Placements are computed here with `assign` rather than currentPlacement(): a replica group being
// added has no node holding data yet, which validateTopology rejects, but for planning it is
// simply a group whose shards all move "from nothing".
import { assign } from '@miroir/core/assignment/rendezvous';
import { holdsData, isDesiredMember, type NodeState } from '@miroir/core/topology';

export interface PlanNode {
  id: string;
  group: number;
  state: NodeState;
}

export interface PlanTopology {
  version: number;
  replicationFactor: number;
  groups: number;
  nodes: readonly PlanNode[];
}

export interface PlanIndex {
  uid: string;
  primaryKey: string | null;
  shards: number;
}

export interface PlanRow {
  indexUid: string;
  group: number;
  shard: number;
  fromNodes: readonly string[];
  toNodes: readonly string[];
  phase: 'dual_write' | 'cut_over';
}

export interface PlannedMove {
  index: string;
  group: number;
  shard: number;
  /** Effective owners now (empty for a group being added). */
  from: string[];
  /** Desired owners. */
  to: string[];
  /** Nodes to copy from, best first: `from` itself, or owners in other groups when `from` is empty. */
  sources: string[];
}

type Owners = string[][]; // owners[shard]

function ownersOf(topology: PlanTopology, group: number, shards: number, takesPart: (s: NodeState) => boolean): Owners {
  const ids = topology.nodes.filter((n) => n.group === group && takesPart(n.state)).map((n) => n.id);
  const out: Owners = [];
  for (let s = 0; s < shards; s++) out.push(ids.length === 0 ? [] : assign(s, ids, topology.replicationFactor));
  return out;
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

/** Failed nodes last: a source that answers is worth more than one that might. */
function bySourcePreference(topology: PlanTopology, ids: readonly string[]): string[] {
  const state = new Map(topology.nodes.map((n) => [n.id, n.state]));
  const ok = ids.filter((id) => state.get(id) !== 'failed');
  const failed = ids.filter((id) => state.get(id) === 'failed');
  return [...ok, ...failed];
}

/** Every move the topology asks for, in (index, group, shard) order. */
export function planMoves(topology: PlanTopology, indexes: readonly PlanIndex[], rows: readonly PlanRow[]): PlannedMove[] {
  const moves: PlannedMove[] = [];
  for (const index of indexes) {
    const S = index.shards;
    const effective: Owners[] = [];
    const desired: Owners[] = [];
    for (let g = 0; g < topology.groups; g++) {
      effective.push(ownersOf(topology, g, S, holdsData));
      desired.push(ownersOf(topology, g, S, isDesiredMember));
    }
    const pending = new Set<string>();
    for (const r of rows) {
      if (r.indexUid !== index.uid || r.group >= topology.groups || r.shard >= S) continue;
      if (r.phase === 'cut_over') effective[r.group]![r.shard] = [...r.toNodes];
      else {
        // A dual-write row without its workflow (a crash, a terminated rebalance): its copy is
        // unfinished, reads still go to `from`; plan the move again so a migration settles it.
        effective[r.group]![r.shard] = [...r.fromNodes];
        pending.add(`${r.group}:${r.shard}`);
      }
    }
    for (let g = 0; g < topology.groups; g++) {
      for (let s = 0; s < S; s++) {
        const from = effective[g]![s]!;
        const to = desired[g]![s]!;
        if (to.length === 0) continue; // a group with no member left: nothing can be moved there
        if (sameSet(from, to) && !pending.has(`${g}:${s}`)) continue;
        let sources = bySourcePreference(topology, from);
        if (sources.length === 0) {
          // A new replica group: copy from the owners of the same shard in the other groups.
          const others: string[] = [];
          for (let h = 0; h < topology.groups; h++) if (h !== g) others.push(...effective[h]![s]!);
          sources = bySourcePreference(topology, others);
        }
        moves.push({ index: index.uid, group: g, shard: s, from: [...from], to: [...to], sources });
      }
    }
  }
  return moves;
}
