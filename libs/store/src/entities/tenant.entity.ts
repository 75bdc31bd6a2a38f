import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A tenant and the replica group its reads are pinned to (docs/design.md#sessions-tenants-and-idempotency). */
@Entity({ name: 'tenants' })
@Index('tenants_api_key_hash_idx', ['apiKeyHash'], { unique: true, where: 'api_key_hash IS NOT NULL' })
export class TenantRecord {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'group_id', type: 'int', nullable: true })
  group!: number | null;

  /** SHA-256 of the API key that identifies this tenant in `api_key` mode (never the key). */
  @Column({ name: 'api_key_hash', type: 'bytea', nullable: true })
  apiKeyHash!: Buffer | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
