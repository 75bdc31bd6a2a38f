import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type SessionKind = 'client' | 'admin';

/**
 * Read-your-writes client sessions and admin UI login sessions, stored alike: revocable and
 * expiring (docs/design.md#sessions-tenants-and-idempotency).
 */
@Entity({ name: 'sessions' })
@Index('sessions_expires_at_idx', ['expiresAt'])
export class SessionRecord {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  kind!: SessionKind;

  /** Group that acknowledged the session's last pending write. */
  @Column({ name: 'group_id', type: 'int', nullable: true })
  group!: number | null;

  @Column({ name: 'pending_task_uid', type: 'bigint', nullable: true })
  pendingTaskUid!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  data!: Record<string, unknown>;

  @Column({ type: 'boolean', default: false })
  revoked!: boolean;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
