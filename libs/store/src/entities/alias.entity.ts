import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export type AliasKind = 'single' | 'multi';

/** Single-target aliases resolve reads and writes; multi-target ones fan reads only (docs/design.md#not-built-yet). */
@Entity({ name: 'aliases' })
export class AliasRecord {
  @PrimaryColumn({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  kind!: AliasKind;

  @Column({ type: 'text', array: true })
  targets!: string[];

  @Column({ type: 'int', default: 1 })
  version!: number;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/** Every flip of an alias, for its history. */
@Entity({ name: 'alias_history' })
@Index('alias_history_name_idx', ['name', 'changedAt'])
export class AliasHistoryRecord {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', array: true })
  targets!: string[];

  @Column({ type: 'int' })
  version!: number;

  @Column({ name: 'changed_by', type: 'text', nullable: true })
  changedBy!: string | null;

  @Column({ name: 'changed_at', type: 'timestamptz', default: () => 'now()' })
  changedAt!: Date;
}
