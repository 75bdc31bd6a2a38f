import { Inject, Injectable } from '@nestjs/common';
import type { LoadedConfig } from '@miroir/config';
import { MeiliError } from '../errors/meili-error';
import { LOADED_CONFIG } from '../infra/tokens';
import { TopologyService } from '../cluster/topology.service';
import { SessionService } from './session.service';
import { TenantResolver } from './tenant-resolver.service';

export interface ReadGroupChoice {
  /** The pinned group; undefined lets the read path spread the request over `shared` groups. */
  group?: number;
  reason: 'session' | 'tenant' | 'shared';
  tenant?: string;
  sessionId?: string;
}

type Headers = Record<string, string | string[] | undefined>;

/**
 * Which replica group serves a read (docs/design.md#shard-assignment, docs/design.md#sessions-tenants-and-idempotency): a session with a pending write → the group
 * that acknowledged it (waiting for it with `block`); else a tenant pinned to a group → that group;
 * else any of the shared groups — not dedicated to tenants, and holding data (a replica group
 * being added serves nothing until its shards are copied in). Writes go to every group.
 */
@Injectable()
export class ReadGroupSelector {
  constructor(
    @Inject(LOADED_CONFIG) private readonly loaded: LoadedConfig,
    private readonly topology: TopologyService,
    private readonly sessions: SessionService,
    private readonly tenants: TenantResolver,
  ) {}

  async choose(headers: Headers): Promise<ReadGroupChoice> {
    const { groups } = this.topology.topology();
    const sessionId = this.sessions.sessionId(headers);
    if (sessionId) {
      const pending = await this.sessions.pending(sessionId);
      if (pending && pending.group < groups) {
        if (this.loaded.config.sessions.wait_strategy === 'block') await this.sessions.waitForPending(sessionId, pending);
        return { group: pending.group, reason: 'session', sessionId };
      }
    }
    const placement = await this.tenants.resolve(headers);
    const { fallback } = this.loaded.config.tenants;
    if (placement?.group !== undefined && placement.group < groups) {
      return { group: placement.group, reason: 'tenant', tenant: placement.tenant, sessionId };
    }
    const pool = this.sharedGroups();
    if (placement) {
      // A tenant without a pinned group: spread tenants over the shared groups, stable per tenant.
      if (fallback === 'reject') {
        throw new MeiliError('miroir_tenant_unknown', `Tenant \`${placement.tenant}\` has no replica group assigned.`, 403, 'auth');
      }
      const group = fallback === 'hash' ? pool[stableHash(placement.tenant) % pool.length]! : pool[Math.floor(Math.random() * pool.length)]!;
      return { group, reason: 'tenant', tenant: placement.tenant, sessionId };
    }
    return { reason: 'shared', sessionId };
  }

  /** Groups untagged reads may use: not dedicated, holding data; all serving groups as a last resort. */
  sharedGroups(): number[] {
    const topology = this.topology.topology();
    const serving = Array.from({ length: topology.groups }, (_, g) => g).filter((g) =>
      topology.nodes.some((n) => n.group === g && (n.state === 'active' || n.state === 'draining')),
    );
    const shared = serving.filter((g) => !this.loaded.config.tenants.dedicated_groups.includes(g));
    return shared.length > 0 ? shared : serving.length > 0 ? serving : [0];
  }
}

/** FNV-1a: a tenant always lands on the same group on every pod. */
function stableHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
