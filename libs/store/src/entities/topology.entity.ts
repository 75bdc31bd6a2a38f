import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * The single cluster-wide topology row. `version` grows with every change to it or to a node, so
 * API pods can tell a stale cache from a fresh one (docs/design.md#topology-versions).
 */
@Entity({ name: 'topology' })
export class TopologyRecord {
  @PrimaryColumn({ type: 'int', default: 1 })
  id!: number;

  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  version!: number;

  @Column({ name: 'replication_factor', type: 'int' })
  replicationFactor!: number;

  @Column({ name: 'replica_groups', type: 'int' })
  replicaGroups!: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
