import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { LoadedConfig } from '@miroir/config';
import type { NodeTaskRef } from '@miroir/store';
import { SessionRecord } from '@miroir/store';
import { errors } from '../errors/catalog';
import { DATA_SOURCE, LOADED_CONFIG } from '../infra/tokens';
import { NodeClientsService } from '../cluster/node-clients.service';

export const SESSION_HEADER = 'x-miroir-session';
const SESSION_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

export interface PendingWrite {
  taskUid: number;
  group: number;
  /** The write's node tasks in that group: what a `block` read waits for. */
  nodeTasks: NodeTaskRef[];
}

interface SessionData {
  pending?: PendingWrite;
}

/**
 * Read-your-writes sessions (docs/design.md#sessions-tenants-and-idempotency): a write in a session remembers its task and the group that
 * acknowledged it; a read in the session while that write is pending goes to that group and, with
 * `wait_strategy: block`, waits (bounded by `max_wait_ms`) until the write's node tasks there are
 * done. Stored in Postgres so any API pod serves any request of the session.
 */
@Injectable()
export class SessionService {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(LOADED_CONFIG) private readonly loaded: LoadedConfig,
    private readonly clients: NodeClientsService,
  ) {}

  /** The session id of a request, validated; undefined without the header. */
  sessionId(headers: Record<string, string | string[] | undefined>): string | undefined {
    const raw = headers[SESSION_HEADER];
    if (raw === undefined) return undefined;
    const id = Array.isArray(raw) ? raw[0]! : raw;
    if (!SESSION_ID.test(id)) {
      throw errors.badRequest('The X-Miroir-Session header must be 1 to 128 characters of letters, digits and _ . : -');
    }
    return id;
  }

  async recordWrite(sessionId: string, write: PendingWrite): Promise<void> {
    const ttl = this.loaded.config.sessions.ttl_seconds;
    const data: SessionData = { pending: write };
    await this.ds.query(
      `INSERT INTO sessions (id, kind, group_id, pending_task_uid, data, expires_at)
       VALUES ($1, 'client', $2, $3, $4::jsonb, now() + make_interval(secs => $5))
       ON CONFLICT (id) DO UPDATE SET group_id = EXCLUDED.group_id, pending_task_uid = EXCLUDED.pending_task_uid,
         data = EXCLUDED.data, expires_at = EXCLUDED.expires_at
       WHERE sessions.kind = 'client' AND NOT sessions.revoked`,
      [sessionId, write.group, write.taskUid, JSON.stringify(data), ttl],
    );
    // The table's size is bounded by the prune Schedule (expired first, then the oldest past
    // sessions.max_sessions), not here: counting rows on every write would cost more than it saves.
  }

  /** The session's pending write, if its session is alive and the write not yet known done. */
  async pending(sessionId: string): Promise<PendingWrite | undefined> {
    const row = await this.ds.getRepository(SessionRecord).findOne({ where: { id: sessionId } });
    if (!row || row.revoked || row.kind !== 'client' || row.expiresAt.getTime() <= Date.now()) return undefined;
    return (row.data as SessionData).pending;
  }

  /**
   * `block`: waits until every node task of the pending write in its group has finished, or
   * `max_wait_ms` passed (the read then goes ahead on the pinned group). Clears the pending write
   * once it is done, so later reads of the session route freely again.
   */
  async waitForPending(sessionId: string, pending: PendingWrite): Promise<boolean> {
    const deadline = Date.now() + this.loaded.config.sessions.max_wait_ms;
    let delay = 5;
    const open = new Set(pending.nodeTasks.map((t) => `${t.nodeId}:${t.taskUid}`));
    while (open.size > 0) {
      for (const t of pending.nodeTasks) {
        const key = `${t.nodeId}:${t.taskUid}`;
        if (!open.has(key)) continue;
        try {
          const task = await this.clients.get(t.nodeId).getTask(t.taskUid, { timeoutMs: Math.max(50, deadline - Date.now()) });
          if (task.status === 'succeeded' || task.status === 'failed' || task.status === 'canceled') open.delete(key);
        } catch {
          // A node that cannot answer cannot serve the read either; the covering set skips it.
          open.delete(key);
        }
      }
      if (open.size === 0) break;
      if (Date.now() + delay > deadline) return false;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 50);
    }
    await this.ds.query(
      `UPDATE sessions SET pending_task_uid = NULL, data = data - 'pending' WHERE id = $1 AND pending_task_uid = $2`,
      [sessionId, pending.taskUid],
    );
    return true;
  }
}
