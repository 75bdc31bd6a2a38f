import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type NodeStateColumn = 'joining' | 'active' | 'draining' | 'failed' | 'removed';

/** One Meilisearch node. Ids are never reused, so a removed node keeps its row. */
@Entity({ name: 'nodes' })
export class NodeRecord {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  address!: string;

  @Column({ name: 'group_id', type: 'int' })
  group!: number;

  @Column({ type: 'text' })
  state!: NodeStateColumn;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
