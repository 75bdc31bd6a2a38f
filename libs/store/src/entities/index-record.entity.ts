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

  /** Bumped by each committed settings broadcast (docs/settings-and-indexes.md). */
  @Column({ name: 'settings_version', type: 'int', default: 0 })
  settingsVersion!: number;

  /** Canonical hash of the committed settings, compared by the drift check. */
  @Column({ name: 'settings_hash', type: 'text', nullable: true })
  settingsHash!: string | null;

  /**
   * Field paths (dotted for nested fields) the index's documents have used, recorded by the write
   * path before documents reach a node; null when not tracked (indexes older than tracking, or
   * more fields than MAX_TRACKED_FIELDS). Searches send them as `attributesToSearchOn`.
   */
  @Column({ name: 'searchable_fields', type: 'text', array: true, nullable: true })
  searchableFields!: string[] | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
