import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type TaskStatus = 'enqueued' | 'processing' | 'succeeded' | 'failed' | 'canceled';

/** One node task a Miroir task caused: which node, and that node's taskUid and last known status. */
export interface NodeTaskRef {
  nodeId: string;
  taskUid: number;
  status?: TaskStatus;
}

const bigintNumber = { to: (v: number) => v, from: (v: string | null) => (v === null ? null : Number(v)) };
/** A string kept as a JSON string literal, so U+0000 (refused by Postgres text) survives. */
const jsonText = {
  to: (v: string | null | undefined) => (v == null ? null : JSON.stringify(v)),
  from: (v: string | null) => (v === null ? null : (JSON.parse(v) as string)),
};

/**
 * A Miroir task. `uid` comes from the `miroir_task_uid_seq` sequence: an integer, because the
 * Meilisearch SDKs type taskUid as a number (docs/design.md#tasks).
 */
@Entity({ name: 'tasks' })
@Index('tasks_status_idx', ['status'])
@Index('tasks_index_uid_idx', ['indexUid'])
@Index('tasks_enqueued_at_idx', ['enqueuedAt'])
export class TaskRecord {
  @PrimaryColumn({ type: 'bigint', default: () => "nextval('miroir_task_uid_seq')", transformer: bigintNumber })
  uid!: number;

  @Column({ name: 'index_uid', type: 'text', nullable: true })
  indexUid!: string | null;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'text' })
  status!: TaskStatus;

  @Column({ name: 'node_tasks', type: 'jsonb', default: () => "'[]'::jsonb" })
  nodeTasks!: NodeTaskRef[];

  @Column({ type: 'jsonb', nullable: true })
  details!: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  error!: Record<string, unknown> | null;

  /** For tasks run as a Temporal workflow (settings, index lifecycle, rebalance). */
  @Column({ name: 'workflow_id', type: 'text', nullable: true })
  workflowId!: string | null;

  @Column({ name: 'enqueued_at', type: 'timestamptz' })
  enqueuedAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  /** The client's `customMetadata`; null when not sent. Stored as JSON text (see migration 1763801200000). */
  @Column({ name: 'custom_metadata', type: 'text', nullable: true, transformer: jsonText })
  customMetadata!: string | null;

  /** The taskCancelation that canceled (or is canceling) this task; shown only once it is `canceled`. */
  @Column({ name: 'canceled_by', type: 'bigint', nullable: true, transformer: bigintNumber })
  canceledBy!: number | null;

  /** taskCancelation / taskDeletion: the filter they apply (a StoredTaskFilter). */
  @Column({ name: 'task_filter', type: 'jsonb', nullable: true })
  taskFilter!: Record<string, unknown> | null;
}
