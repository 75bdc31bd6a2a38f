// API keys and request authorization, as Meilisearch does it: a key's secret is
// HMAC-SHA256(masterKey, uid) in hex, so it is never stored and changes with the master key.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { errors } from './error-catalog';
import type { KeyRecord } from './model';
import type { Store } from './store';

export const ACTIONS = [
  '*',
  'search',
  'documents.*',
  'documents.add',
  'documents.get',
  'documents.delete',
  'indexes.*',
  'indexes.create',
  'indexes.get',
  'indexes.update',
  'indexes.delete',
  'indexes.swap',
  'tasks.*',
  'tasks.cancel',
  'tasks.delete',
  'tasks.get',
  'settings.*',
  'settings.get',
  'settings.update',
  'stats.*',
  'stats.get',
  'metrics.*',
  'metrics.get',
  'dumps.*',
  'dumps.create',
  'snapshots.*',
  'snapshots.create',
  'version',
  'keys.create',
  'keys.get',
  'keys.update',
  'keys.delete',
  'experimental.get',
  'experimental.update',
  'network.get',
  'network.update',
] as const;

export type Action = (typeof ACTIONS)[number];

/** What a request needs: an action and, for index-scoped routes, the index (or indexes) it touches. */
export interface Requirement {
  action: Action;
  indexes?: string[];
}

export type Principal =
  | { kind: 'open' } // no master key: everything allowed
  | { kind: 'master' }
  | { kind: 'key'; key: KeyRecord };

export class Auth {
  private readonly master: Buffer | null;

  constructor(
    masterKey: string | undefined,
    private readonly store: Store,
  ) {
    this.master = masterKey ? Buffer.from(masterKey, 'utf8') : null;
  }

  get enabled(): boolean {
    return this.master !== null;
  }

  keyValue(uid: string): string {
    if (!this.master) return '';
    return createHmac('sha256', this.master).update(uid).digest('hex');
  }

  /** Creates the two default keys on first start with a master key (persisted, so uids are stable). */
  async ensureDefaultKeys(): Promise<void> {
    if (!this.master || this.store.keys.size > 0) return;
    const now = new Date().toISOString();
    const defaults: Array<Pick<KeyRecord, 'name' | 'description' | 'actions'>> = [
      { name: 'Default Search API Key', description: 'Use it to search from the frontend', actions: ['search'] },
      { name: 'Default Admin API Key', description: 'Use it for anything that is not a search operation. Caution! Do not expose it on a public frontend', actions: ['*'] },
    ];
    for (const d of defaults) {
      await this.store.putKey({ uid: randomUUID(), ...d, indexes: ['*'], expiresAt: null, createdAt: now, updatedAt: now });
    }
  }

  findKey(uidOrKey: string): KeyRecord | undefined {
    const byUid = this.store.keys.get(uidOrKey);
    if (byUid) return byUid;
    for (const k of this.store.keys.values()) if (this.keyValue(k.uid) === uidOrKey) return k;
    return undefined;
  }

  /** Resolves the bearer token to a principal: 401 when missing, 403 when unknown or expired. */
  authenticate(authorization: string | undefined): Principal {
    if (!this.master) return { kind: 'open' };
    if (!authorization) throw errors.missingAuthorizationHeader();
    const m = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (!m) throw errors.invalidApiKey();
    const token = Buffer.from(m[1]!.trim(), 'utf8');
    if (token.length === this.master.length && timingSafeEqual(token, this.master)) return { kind: 'master' };
    const key = this.findKey(token.toString('utf8'));
    if (!key) throw errors.invalidApiKey();
    if (key.expiresAt !== null && Date.parse(key.expiresAt) <= Date.now()) throw errors.invalidApiKey();
    return { kind: 'key', key };
  }

  /** 403 invalid_api_key unless the principal may perform the action on every named index. */
  authorize(principal: Principal, req: Requirement): void {
    if (principal.kind !== 'key') return;
    const { key } = principal;
    if (!actionAllowed(key.actions, req.action)) throw errors.invalidApiKey();
    for (const uid of req.indexes ?? []) if (!indexAllowed(key.indexes, uid)) throw errors.invalidApiKey();
  }

  /** For list routes: does the principal see this index? */
  canSeeIndex(principal: Principal, uid: string): boolean {
    return principal.kind !== 'key' || indexAllowed(principal.key.indexes, uid);
  }
}

export function actionAllowed(granted: string[], action: Action): boolean {
  for (const g of granted) {
    if (g === '*' || g === action) return true;
    if (g.endsWith('.*') && action.startsWith(g.slice(0, -1))) return true;
  }
  return false;
}

export function indexAllowed(patterns: string[], uid: string): boolean {
  for (const p of patterns) {
    if (p === '*' || p === uid) return true;
    if (p.endsWith('*') && uid.startsWith(p.slice(0, -1))) return true;
  }
  return false;
}
