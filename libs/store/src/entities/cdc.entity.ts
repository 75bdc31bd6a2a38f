import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

const bigintNumber = { to: (v: number) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/**
 * The CDC outbox (docs/design.md#task-and-outbox): one row per successful client write, appended in the same
 * transaction as its task. `seq` orders the stream; consumers dedupe by `event_id`.
 */
@Entity({ name: 'cdc_outbox' })
@Index('cdc_outbox_index_seq_idx', ['indexUid', 'seq'])
@Index('cdc_outbox_index_created_idx', ['indexUid', 'createdAt'])
export class CdcEventRecord {
  // A string because pg returns bigint as text; the repository converts at the edge.
  @PrimaryGeneratedColumn({ type: 'bigint' })
  seq!: string;

  @Column({ name: 'event_id', type: 'uuid', unique: true, default: () => 'gen_random_uuid()' })
  eventId!: string;

  @Column({ name: 'index_uid', type: 'text' })
  indexUid!: string;

  @Column({ type: 'text' })
  operation!: string;

  @Column({ name: 'primary_keys', type: 'jsonb', default: () => "'[]'::jsonb" })
  primaryKeys!: string[];

  @Column({ name: 'shard_ids', type: 'int', array: true, default: () => "'{}'" })
  shardIds!: number[];

  @Column({ name: 'settings_version', type: 'int', default: 0 })
  settingsVersion!: number;

  @Column({ name: 'task_uid', type: 'bigint', nullable: true, transformer: bigintNumber })
  taskUid!: number | null;

  /** Internal writes (migration, repair, reshard, TTL, rollover copies) are not published by default. */
  @Column({ type: 'boolean', default: false })
  internal!: boolean;

  /** Document bodies, kept only when a sink asks for them. */
  @Column({ type: 'jsonb', nullable: true })
  documents!: unknown[] | null;

  /** The filter of a delete by filter, as the client sent it, as JSON text (jsonb refuses U+0000). */
  @Column({ type: 'text', nullable: true })
  filter!: string | null;

  /** When the write began (the API's clock, as `_miroir_updated_at`); the commit time when not given. */
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

@Entity({ name: 'cdc_sinks' })
export class CdcSinkRecord {
  @PrimaryColumn({ type: 'text' })
  name!: string;

  /** `webhook`, `nats` or `internal`. */
  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  config!: Record<string, unknown>;

  @Column({ name: 'include_documents', type: 'boolean', default: false })
  includeDocuments!: boolean;

  @Column({ name: 'include_internal', type: 'boolean', default: false })
  includeInternal!: boolean;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

/** Per-sink delivery position in the outbox (at-least-once). */
@Entity({ name: 'cdc_cursors' })
export class CdcCursorRecord {
  @PrimaryColumn({ name: 'sink_name', type: 'text' })
  sinkName!: string;

  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  position!: number;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
