import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type ShardMigrationPhase = 'dual_write' | 'cut_over';

/**
 * One shard of one index in one replica group being moved by a `shardMigration` workflow (docs/design.md#workflows).
 * API pods overlay these rows on the topology's shard table: during `dual_write` writes go to
 * from ∪ to and reads to `from`; after `cut_over` both go to `to`. A finished rebalance deletes the
 * rows in the same transaction that makes the base placement equal to what they said.
 */
@Entity({ name: 'shard_migrations' })
export class ShardMigrationRecord {
  @PrimaryColumn({ name: 'index_uid', type: 'text' })
  indexUid!: string;

  @PrimaryColumn({ name: 'group_id', type: 'int' })
  group!: number;

  @PrimaryColumn({ type: 'int' })
  shard!: number;

  @Column({ name: 'from_nodes', type: 'text', array: true })
  fromNodes!: string[];

  @Column({ name: 'to_nodes', type: 'text', array: true })
  toNodes!: string[];

  @Column({ type: 'text' })
  phase!: ShardMigrationPhase;

  @Column({ name: 'workflow_id', type: 'text' })
  workflowId!: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
