// docs/design.md#read-path PK planner, shard side: the primary keys a filter pins (query/pk-planner, which accounts
// for Meilisearch's case-insensitive and numeric equality) mapped to the shards that own them.

import { shardOfKeyString } from './hashing';
import { FilterExpr, parseFilter, pinnedPrimaryKeys } from './query';

export interface ShardPlan {
  /** Shards to query, ascending; never empty (see planShards). */
  readonly shards: readonly number[];
  /** False when the filter does not pin the primary key and every shard is queried. */
  readonly narrowed: boolean;
}

function allShards(shardCount: number): ShardPlan {
  return { shards: [...Array(shardCount).keys()], narrowed: false };
}

/**
 * The shards that can hold a document matching `filter`. A filter that provably matches nothing
 * still yields one shard, so a node validates it (filterable attributes) and shapes the empty answer.
 */
export function planShards(filter: FilterExpr | null, primaryKey: string, shardCount: number): ShardPlan {
  const keys = pinnedPrimaryKeys(filter, primaryKey);
  if (keys === undefined) return allShards(shardCount);
  const shards = [...new Set(keys.map((k) => shardOfKeyString(k, shardCount)))].sort((a, b) => a - b);
  if (shards.length === shardCount) return allShards(shardCount);
  return { shards: shards.length === 0 ? [0] : shards, narrowed: true };
}

/**
 * planShards for a raw `filter` search parameter. An invalid filter is not narrowed: it reaches
 * every node, which answers with Meilisearch's own error.
 */
export function planShardsForFilter(filter: unknown, primaryKey: string, shardCount: number): ShardPlan {
  let expr: FilterExpr | null;
  try {
    expr = parseFilter(filter);
  } catch {
    return allShards(shardCount);
  }
  return planShards(expr, primaryKey, shardCount);
}
