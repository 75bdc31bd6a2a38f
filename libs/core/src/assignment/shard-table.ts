// The per-topology routing table of docs/design.md#shard-assignment, precomputed so routing a document is one hash and
// one array lookup; with the shard migrations of one index overlaid (docs/design.md#workflows).

import { TopologyNode, Topology } from '../topology';
import { currentPlacement } from './placement';

/**
 * One shard of one group being moved. During 'dual-write' writes go to from ∪ to and reads to
 * `from`; after 'cut-over' reads and writes go to `to`.
 */
export interface MigrationRoute {
  readonly group: number;
  readonly shard: number;
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly phase: 'dual-write' | 'cut-over';
}

export class ShardTable {
  /** Per shard, every node a write goes to (deduplicated, group order). */
  private readonly writes: readonly (readonly string[])[];

  private constructor(
    readonly topologyVersion: number,
    readonly shardCount: number,
    readonly replicationFactor: number,
    readonly groupCount: number,
    readonly nodes: ReadonlyMap<string, TopologyNode>,
    /** readers[group][shard]: serve reads and count toward write quorum. */
    private readonly readers: readonly (readonly (readonly string[])[])[],
    /** incomingOwners[group][shard]: written to during a dual-write, neither read nor counted. */
    private readonly incomingOwners: readonly (readonly (readonly string[])[])[],
    readonly migrations: readonly MigrationRoute[],
    /** The current placement, before any migration overlay. */
    private readonly base: readonly (readonly (readonly string[])[])[],
  ) {
    const writes: string[][] = [];
    for (let s = 0; s < shardCount; s++) {
      const set: string[] = [];
      for (let g = 0; g < groupCount; g++) {
        for (const n of readers[g]![s]!) if (!set.includes(n)) set.push(n);
        for (const n of incomingOwners[g]![s]!) if (!set.includes(n)) set.push(n);
      }
      writes.push(set);
    }
    this.writes = writes;
  }

  static build(topology: Topology, shardCount: number, migrations: readonly MigrationRoute[] = []): ShardTable {
    const placement = currentPlacement(topology, shardCount);
    const empty = placement.owners.map((row) => row.map((): readonly string[] => []));
    return new ShardTable(
      topology.version,
      shardCount,
      topology.replicationFactor,
      topology.groups,
      new Map(topology.nodes.map((n) => [n.id, n])),
      placement.owners,
      empty,
      [],
      placement.owners,
    ).withMigrations(migrations);
  }

  /** This table with one index's migrations overlaid (replacing any overlaid before). */
  withMigrations(migrations: readonly MigrationRoute[]): ShardTable {
    if (migrations.length === 0 && this.migrations.length === 0) return this;
    const readers = this.base.map((row) => [...row]);
    const incoming = this.base.map((row) => row.map((): readonly string[] => []));
    for (const m of migrations) {
      if (!Number.isInteger(m.group) || m.group < 0 || m.group >= this.groupCount) {
        throw new RangeError(`migration for group ${m.group} outside 0..${this.groupCount - 1}`);
      }
      if (!Number.isInteger(m.shard) || m.shard < 0 || m.shard >= this.shardCount) {
        throw new RangeError(`migration for shard ${m.shard} outside 0..${this.shardCount - 1}`);
      }
      if (m.phase === 'dual-write') {
        readers[m.group]![m.shard] = [...m.from];
        incoming[m.group]![m.shard] = m.to.filter((n) => !m.from.includes(n));
      } else {
        readers[m.group]![m.shard] = [...m.to];
      }
    }
    return new ShardTable(
      this.topologyVersion,
      this.shardCount,
      this.replicationFactor,
      this.groupCount,
      this.nodes,
      readers,
      incoming,
      migrations,
      this.base,
    );
  }

  /** The nodes serving reads of `shard` in `group`, which also count toward its write quorum. */
  owners(group: number, shard: number): readonly string[] {
    return this.cell(this.readers, group, shard);
  }

  /** Nodes receiving `shard` in `group` through a dual-write migration. */
  incoming(group: number, shard: number): readonly string[] {
    return this.cell(this.incomingOwners, group, shard);
  }

  /** `writeTargets(shard)`: the union over all groups of owners and incoming owners. */
  writeTargets(shard: number): readonly string[] {
    const w = this.writes[shard];
    if (w === undefined) throw new RangeError(`shard ${shard} outside 0..${this.shardCount - 1}`);
    return w;
  }

  private cell(grid: readonly (readonly (readonly string[])[])[], group: number, shard: number): readonly string[] {
    const row = grid[group];
    if (row === undefined) throw new RangeError(`group ${group} outside 0..${this.groupCount - 1}`);
    const c = row[shard];
    if (c === undefined) throw new RangeError(`shard ${shard} outside 0..${this.shardCount - 1}`);
    return c;
  }
}

/** The shard table for a topology and an index's shard count (and its migrations in flight). */
export function buildShardTable(topology: Topology, shards: number, migrations: readonly MigrationRoute[] = []): ShardTable {
  return ShardTable.build(topology, shards, migrations);
}
