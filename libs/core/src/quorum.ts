// docs/design.md#per-group-quorum: did a routed write reach enough replicas?

import { ShardTable } from './assignment/shard-table';

export type WriteQuorumPolicy = 'majority' | 'one' | 'all';

/** Acknowledgements needed per group: `majority` is floor(RF/2)+1. */
export function requiredAcks(rf: number, policy: WriteQuorumPolicy = 'majority'): number {
  switch (policy) {
    case 'one':
      return 1;
    case 'all':
      return rf;
    case 'majority':
      return Math.floor(rf / 2) + 1;
  }
}

export interface QuorumOutcome {
  /** Every shard of the batch has at least one group at quorum. */
  readonly ok: boolean;
  /** Groups that missed quorum for at least one shard, ascending. */
  readonly degradedGroups: readonly number[];
  /** Shards for which at least one group missed quorum, ascending. */
  readonly degradedShards: readonly number[];
  /** Shards for which no group reached quorum: the write answers 503 `miroir_no_quorum`. */
  readonly noQuorumShards: readonly number[];
  /** `X-Miroir-Degraded` value, `groups=…;shards=…`, when anything was degraded. */
  readonly header?: string;
}

/**
 * Quorum for the shards of a batch, given which nodes accepted their request (HTTP 202 with a
 * task uid). Only a shard's serving owners count; incoming owners of a dual-write migration are
 * written to but never counted. A group with no owner of a shard (a group still being built) is
 * not judged for it.
 */
export function evaluateQuorum(
  table: ShardTable,
  shards: readonly number[],
  accepted: (nodeId: string) => boolean,
  policy: WriteQuorumPolicy = 'majority',
): QuorumOutcome {
  const need = requiredAcks(table.replicationFactor, policy);
  const degradedGroups = new Set<number>();
  const degradedShards: number[] = [];
  const noQuorumShards: number[] = [];
  for (const shard of [...new Set(shards)].sort((a, b) => a - b)) {
    let reached = false;
    let degraded = false;
    for (let g = 0; g < table.groupCount; g++) {
      const owners = table.owners(g, shard);
      if (owners.length === 0) continue;
      let acks = 0;
      for (const n of owners) if (accepted(n)) acks++;
      // A group short of RF nodes holding data is judged on the owners it has.
      if (acks >= Math.min(need, owners.length)) reached = true;
      else {
        degraded = true;
        degradedGroups.add(g);
      }
    }
    if (degraded) degradedShards.push(shard);
    if (!reached) noQuorumShards.push(shard);
  }
  const groups = [...degradedGroups].sort((a, b) => a - b);
  return {
    ok: noQuorumShards.length === 0,
    degradedGroups: groups,
    degradedShards,
    noQuorumShards,
    ...(degradedShards.length > 0 ? { header: `groups=${groups.join(',')};shards=${degradedShards.join(',')}` } : {}),
  };
}

/** `X-Miroir-Degraded` for a read that could not cover some shards: only shards are named. */
export function readDegradedHeader(uncovered: readonly number[]): string | undefined {
  return uncovered.length === 0 ? undefined : `shards=${[...uncovered].sort((a, b) => a - b).join(',')}`;
}
