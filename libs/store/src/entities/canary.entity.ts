import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** A scheduled query with assertions, run through Miroir's own public API (docs/design.md#workflows canaryRun). */
@Entity({ name: 'canaries' })
export class CanaryRecord {
  @PrimaryColumn({ type: 'text' })
  name!: string;

  @Column({ name: 'index_uid', type: 'text' })
  indexUid!: string;

  @Column({ type: 'jsonb' })
  query!: Record<string, unknown>;

  @Column({ type: 'jsonb' })
  assertions!: Record<string, unknown>;

  /** Cron or interval spec of the canary's Temporal Schedule. */
  @Column({ type: 'text' })
  schedule!: string;

  @Column({ name: 'run_history_limit', type: 'int', default: 100 })
  runHistoryLimit!: number;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

@Entity({ name: 'canary_runs' })
@Index('canary_runs_canary_started_idx', ['canaryName', 'startedAt'])
export class CanaryRunRecord {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'canary_name', type: 'text' })
  canaryName!: string;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'duration_ms', type: 'int' })
  durationMs!: number;

  @Column({ type: 'boolean' })
  ok!: boolean;

  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  failures!: unknown[];
}
