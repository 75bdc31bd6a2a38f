// Rendezvous (highest random weight) assignment, docs/design.md#shard-assignment.

import { nodeScoreHalves } from '../hashing';
import { compareIds } from '../topology';

/** Node ids ordered by score for `shard`, highest first, ties by id ascending; input order is irrelevant. */
export function rankNodes(shard: number, nodeIds: readonly string[]): string[] {
  const ranked = nodeIds.map((id) => {
    const r = nodeScoreHalves(shard, id);
    return { id, hi: r[0]! >>> 0, lo: r[1]! >>> 0 };
  });
  ranked.sort((a, b) => b.hi - a.hi || b.lo - a.lo || compareIds(a.id, b.id));
  return ranked.map((r) => r.id);
}

/** `assign(shard, groupNodes, RF)`: the RF nodes of one group with the highest score. */
export function assign(shard: number, groupNodeIds: readonly string[], rf: number): string[] {
  return rankNodes(shard, groupNodeIds).slice(0, rf);
}
