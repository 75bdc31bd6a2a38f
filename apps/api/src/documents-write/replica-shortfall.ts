import type { ShardTable } from '@miroir/core';

/**
 * `X-Miroir-Degraded` for a write: every (group, shard) of the batch where some owner did not
 * accept. Wider than "missed quorum" on purpose: with `write_quorum: one` a write that reached one
 * of two replicas succeeds, yet the client must learn that the shard is under-replicated until
 * repair (issue 5 acceptance 7). Undefined when every owner accepted.
 */
export function replicaShortfallHeader(table: ShardTable, shards: readonly number[], accepted: (nodeId: string) => boolean): string | undefined {
  const groups = new Set<number>();
  const degraded = new Set<number>();
  for (const shard of shards) {
    for (let g = 0; g < table.groupCount; g++) {
      if (table.owners(g, shard).some((n) => !accepted(n))) {
        groups.add(g);
        degraded.add(shard);
      }
    }
  }
  if (degraded.size === 0) return undefined;
  const asc = (s: Set<number>): string => [...s].sort((a, b) => a - b).join(',');
  return `groups=${asc(groups)};shards=${asc(degraded)}`;
}
