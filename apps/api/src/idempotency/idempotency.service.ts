import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { LoadedConfig } from '@miroir/config';
import { IdempotencyKeyRecord } from '@miroir/store';
import { errors } from '../errors/catalog';
import { DATA_SOURCE, LOADED_CONFIG } from '../infra/tokens';

export type Reservation =
  | { kind: 'reserved' }
  | { kind: 'replay'; statusCode: number; response: unknown };

const POLL_MS = 25;

/**
 * Idempotency-Key bookkeeping in Postgres (docs/design.md#sessions-tenants-and-idempotency). The primary key on the scoped key makes two
 * API pods racing the same request resolve to one write: the loser waits for the winner's stored
 * answer and replays it.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(LOADED_CONFIG) private readonly loaded: LoadedConfig,
  ) {}

  /** Reserves the key for this request, or returns the answer of the identical earlier request. */
  async reserve(key: string, bodyHash: string, waitMs: number): Promise<Reservation> {
    const deadline = Date.now() + waitMs;
    const ttl = this.loaded.config.idempotency.ttl_seconds;
    for (;;) {
      const inserted: unknown[] = await this.ds.query(
        `INSERT INTO idempotency_keys (key, body_hash, state, expires_at)
         VALUES ($1, $2, 'pending', now() + make_interval(secs => $3))
         ON CONFLICT (key) DO NOTHING RETURNING key`,
        [key, bodyHash, ttl],
      );
      if (inserted.length === 1) return { kind: 'reserved' };
      const row = await this.ds.getRepository(IdempotencyKeyRecord).findOne({ where: { key } });
      if (!row) continue; // the holder failed and released it: try again
      if (row.expiresAt.getTime() <= Date.now()) {
        await this.ds.query(`DELETE FROM idempotency_keys WHERE key = $1 AND expires_at <= now()`, [key]);
        continue;
      }
      if (row.bodyHash !== bodyHash) throw errors.idempotencyKeyReused();
      if (row.state === 'done') return { kind: 'replay', statusCode: row.statusCode ?? 202, response: row.response };
      if (Date.now() > deadline) {
        throw errors.badRequest('A request with this Idempotency-Key is still being processed; retry later.');
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  async complete(key: string, statusCode: number, response: unknown): Promise<void> {
    const taskUid = typeof (response as { taskUid?: unknown })?.taskUid === 'number' ? (response as { taskUid: number }).taskUid : null;
    await this.ds.query(
      `UPDATE idempotency_keys SET state = 'done', status_code = $2, response = $3::jsonb, task_uid = $4 WHERE key = $1`,
      [key, statusCode, JSON.stringify(response ?? null), taskUid],
    );
  }

  /** The request failed without a task: free the key so a retry runs again. */
  async release(key: string): Promise<void> {
    await this.ds.query(`DELETE FROM idempotency_keys WHERE key = $1 AND state = 'pending'`, [key]);
  }
}
