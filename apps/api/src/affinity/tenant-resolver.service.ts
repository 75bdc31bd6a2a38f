import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { LoadedConfig } from '@miroir/config';
import { TenantRecord } from '@miroir/store';
import { DATA_SOURCE, LOADED_CONFIG } from '../infra/tokens';

export const TENANT_HEADER = 'x-miroir-tenant';

export interface TenantPlacement {
  tenant: string;
  /** The group the tenant is pinned to, when it has one. */
  group?: number;
}

const CACHE_TTL_MS = 5_000;
const CACHE_MAX = 10_000;

/**
 * Who the request's tenant is and which group it is pinned to (docs/design.md#sessions-tenants-and-idempotency), per `tenants.mode`:
 * `header` reads X-Miroir-Tenant and the tenants table; `api_key` maps SHA-256 of the request's key
 * through the tenants table; `explicit` reads X-Miroir-Tenant and the static `tenants.explicit`
 * map. Lookups are cached briefly (a tenant's group changes rarely; admin changes apply within
 * seconds on every pod).
 */
@Injectable()
export class TenantResolver {
  private readonly cache = new Map<string, { at: number; value: TenantRecord | null }>();

  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(LOADED_CONFIG) private readonly loaded: LoadedConfig,
  ) {}

  async resolve(headers: Record<string, string | string[] | undefined>): Promise<TenantPlacement | undefined> {
    const { mode, explicit } = this.loaded.config.tenants;
    if (mode === 'none') return undefined;
    if (mode === 'api_key') {
      const auth = headers.authorization;
      const key = typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : undefined;
      if (!key) return undefined;
      const row = await this.lookup(`k:${sha256hex(key)}`, () =>
        this.ds.getRepository(TenantRecord).findOne({ where: { apiKeyHash: createHash('sha256').update(key).digest() } }),
      );
      return row ? { tenant: row.id, group: row.group ?? undefined } : undefined;
    }
    const raw = headers[TENANT_HEADER];
    const tenant = Array.isArray(raw) ? raw[0] : raw;
    if (!tenant) return undefined;
    if (mode === 'explicit') return { tenant, group: explicit[tenant] };
    const row = await this.lookup(`t:${tenant}`, () => this.ds.getRepository(TenantRecord).findOne({ where: { id: tenant } }));
    return { tenant, group: row?.group ?? undefined };
  }

  /** Drops cached lookups (after an admin change on this pod). */
  invalidate(): void {
    this.cache.clear();
  }

  private async lookup(key: string, load: () => Promise<TenantRecord | null>): Promise<TenantRecord | null> {
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_TTL_MS) return hit.value;
    const value = await load();
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(key, { at: Date.now(), value });
    return value;
  }
}

function sha256hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
