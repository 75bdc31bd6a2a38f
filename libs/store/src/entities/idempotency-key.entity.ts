import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * An Idempotency-Key seen on a write. The primary key makes concurrent duplicates on two API pods
 * resolve to one write (database uniqueness, not an in-process lock).
 */
@Entity({ name: 'idempotency_keys' })
@Index('idempotency_keys_expires_at_idx', ['expiresAt'])
export class IdempotencyKeyRecord {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  /** SHA-256 (hex) of the canonical request: method, route, index and body. */
  @Column({ name: 'body_hash', type: 'text' })
  bodyHash!: string;

  @Column({ name: 'task_uid', type: 'bigint', nullable: true })
  taskUid!: string | null;

  /** `pending` while the first request runs; `done` once its answer is stored for replay. */
  @Column({ type: 'text', default: 'pending' })
  state!: 'pending' | 'done';

  @Column({ name: 'status_code', type: 'int', nullable: true })
  statusCode!: number | null;

  @Column({ type: 'jsonb', nullable: true })
  response!: unknown;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
