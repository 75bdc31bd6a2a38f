import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A rollover policy: triggers, template and retention of a write/read alias pair (docs/design.md#workflows). */
@Entity({ name: 'rollover_policies' })
export class RolloverPolicyRecord {
  @PrimaryColumn({ type: 'text' })
  name!: string;

  @Column({ name: 'write_alias', type: 'text' })
  writeAlias!: string;

  @Column({ name: 'read_alias', type: 'text' })
  readAlias!: string;

  /** Index template: primary key, shard count, settings. */
  @Column({ type: 'jsonb' })
  template!: Record<string, unknown>;

  /** `max_docs`, `max_age`, `max_size`. */
  @Column({ type: 'jsonb' })
  triggers!: Record<string, unknown>;

  @Column({ type: 'int', default: 3 })
  keep!: number;

  @Column({ name: 'safety_age_seconds', type: 'int', default: 86400 })
  safetyAgeSeconds!: number;

  @Column({ type: 'text' })
  schedule!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
