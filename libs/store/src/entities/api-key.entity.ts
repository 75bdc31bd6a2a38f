import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A client API key (docs/architecture.md, "API keys"). Its value is never stored: it is the
 * HMAC-SHA256 of the uid under the client master key, as Meilisearch derives it, so a row leaks
 * nothing and a master key change changes every value at once, as on Meilisearch.
 *
 * `name` and `description` are JSON string literals (Postgres text refuses U+0000, which
 * Meilisearch accepts). `expires_at` decides expiry; `expires_at_text` is the instant as the client
 * wrote it, rendered as Meilisearch renders it (its UTC offset and nanoseconds kept).
 */
@Entity({ name: 'api_keys' })
@Index('api_keys_created_at_idx', ['createdAt', 'uid'])
export class ApiKeyRecord {
  @PrimaryColumn({ type: 'uuid' })
  uid!: string;

  @Column({ type: 'text', nullable: true })
  name!: string | null;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'text', array: true })
  actions!: string[];

  @Column({ type: 'text', array: true })
  indexes!: string[];

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'expires_at_text', type: 'text', nullable: true })
  expiresAtText!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
