import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type IndexState = 'creating' | 'ready' | 'deleting';

/** A client-visible index: its primary key and its shard count S, fixed at creation. */
@Entity({ name: 'indexes' })
export class IndexRecord {
  @PrimaryColumn({ type: 'text' })
  uid!: string;

  @Column({ name: 'primary_key', type: 'text', nullable: true })
  primaryKey!: string | null;

  @Column({ type: 'int' })
  shards!: number;

  @Column({ type: 'text', default: 'ready' })
  state!: IndexState;

  /** Bumped by each committed settings broadcast (SPEC §9). */
  @Column({ name: 'settings_version', type: 'int', default: 0 })
  settingsVersion!: number;

  /** Canonical hash of the committed settings, compared by the drift check. */
  @Column({ name: 'settings_hash', type: 'text', nullable: true })
  settingsHash!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
