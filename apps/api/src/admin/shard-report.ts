import type { ShardTable } from '@miroir/core';

export interface ShardOwner {
  node: string;
  healthy: boolean;
}

export interface ShardReport {
  shard: number;
  /** Owners (readers) per replica group, group order. */
  groups: Array<{ group: number; owners: ShardOwner[]; incoming?: string[] }>;
  /** At least one owner in some group is healthy: reads of this shard can be answered. */
  available: boolean;
}

export interface IndexShardReport {
  uid: string;
  shards: number;
  primaryKey: string | null;
  topologyVersion: number;
  /** Shards no healthy replica in any group holds. */
  unavailableShards: number[];
  table: ShardReport[];
}

/** Per shard of one index, who owns it in each group and whether this pod sees them healthy. */
export function shardReport(
  index: { uid: string; shards: number; primaryKey: string | null },
  table: ShardTable,
  isHealthy: (nodeId: string) => boolean,
): IndexShardReport {
  const rows: ShardReport[] = [];
  for (let shard = 0; shard < table.shardCount; shard++) {
    const groups: ShardReport['groups'] = [];
    let available = false;
    for (let group = 0; group < table.groupCount; group++) {
      const owners = table.owners(group, shard).map((node) => ({ node, healthy: isHealthy(node) }));
      if (owners.some((o) => o.healthy)) available = true;
      const incoming = table.incoming(group, shard);
      groups.push(incoming.length > 0 ? { group, owners, incoming: [...incoming] } : { group, owners });
    }
    rows.push({ shard, groups, available });
  }
  return {
    uid: index.uid,
    shards: index.shards,
    primaryKey: index.primaryKey,
    topologyVersion: table.topologyVersion,
    unavailableShards: rows.filter((r) => !r.available).map((r) => r.shard),
    table: rows,
  };
}

/** The shards of a table no healthy replica in any group holds (readiness, docs/observability.md). */
export function unavailableShards(table: ShardTable, isHealthy: (nodeId: string) => boolean): number[] {
  const out: number[] = [];
  for (let shard = 0; shard < table.shardCount; shard++) {
    let ok = false;
    for (let group = 0; group < table.groupCount && !ok; group++) ok = table.owners(group, shard).some(isHealthy);
    if (!ok) out.push(shard);
  }
  return out;
}
