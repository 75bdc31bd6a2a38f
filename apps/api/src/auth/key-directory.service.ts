import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '@miroir/config';
import { compareIds } from '@miroir/core';
import type { Key } from '@miroir/meili';
import { HealthMonitor } from '../cluster/health-monitor.service';
import { NodeClientsService } from '../cluster/node-clients.service';
import { TopologyService } from '../cluster/topology.service';
import { errors } from '../errors/catalog';
import { LOGGER } from '../infra/tokens';
import { MetricsService } from '../observability/metrics.service';
import { digestOf } from './secret';

/** What the guard needs of an API key. The key's value itself is never kept, only its digest. */
export interface KnownKey {
  readonly uid: string;
  readonly actions: readonly string[];
  readonly indexes: readonly string[];
  /** Epoch ms, or null for a key that never expires. */
  readonly expiresAt: number | null;
}

/** A key deleted on the nodes keeps working on this pod for at most this long. */
export const KEY_LIST_TTL_MS = 10_000;
/** An unknown token triggers at most one reload per this interval (new keys show up fast, floods don't reach the nodes). */
const MISS_RELOAD_INTERVAL_MS = 1_000;
/** When no node answers, a list this old is still trusted rather than refusing every key. */
const MAX_STALE_MS = 60_000;
const PAGE = 1_000;
const MAX_KEYS = 100_000;

/**
 * The API keys of the cluster (created through `/keys`, which broadcasts them so every node holds
 * the same uid and value), mirrored from one healthy node: the whole list is fetched and indexed by
 * the SHA-256 of each key value.
 *
 * Why the list rather than `GET /keys/{token}` per unknown token: a bearer token then never leaves
 * Miroir (it would otherwise sit in node URLs and access logs), a flood of wrong keys costs one
 * node call per second at most instead of one per request, memory is bounded by the number of
 * real keys instead of by the attackers' imagination, and lookups by digest are constant-time in
 * the token. The cost: a key created through another API pod is seen here within about a second
 * (the next miss reloads), a deleted key stops working within KEY_LIST_TTL_MS.
 */
@Injectable()
export class KeyDirectory {
  private byDigest = new Map<string, KnownKey>();
  /** When byDigest was fetched (its age decides whether it may still be trusted while nodes fail). */
  private loadedAt = 0;
  /** When the list must be reloaded before use (loadedAt + TTL; 0 after invalidate()). */
  private reloadAt = 0;
  private lastAttemptAt = 0;
  private lastFailureAt = 0;
  /** Bumped by invalidate(): a reload that started before a key change must not count as fresh. */
  private generation = 0;
  private inflight?: Promise<void>;

  constructor(
    private readonly topology: TopologyService,
    private readonly clients: NodeClientsService,
    private readonly health: HealthMonitor,
    private readonly metrics: MetricsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The key whose value is `token`, or undefined. Throws 503 when keys cannot be checked at all. */
  async lookup(token: string): Promise<KnownKey | undefined> {
    const digest = digestOf(token).toString('base64');
    if (Date.now() >= this.reloadAt) await this.reload();
    const found = this.byDigest.get(digest);
    if (found || Date.now() - this.lastAttemptAt < MISS_RELOAD_INTERVAL_MS) return found;
    await this.reload();
    return this.byDigest.get(digest);
  }

  /** Forget the cached list (call after creating, updating or deleting a key through this pod). */
  invalidate(): void {
    this.generation++;
    this.reloadAt = 0;
    this.lastAttemptAt = 0;
  }

  /** One reload at a time; concurrent callers share it. */
  private reload(): Promise<void> {
    this.inflight ??= this.load().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async load(): Promise<void> {
    // After a failed reload, wait before asking the nodes again: requests must not hammer them.
    if (Date.now() - this.lastFailureAt < MISS_RELOAD_INTERVAL_MS) return this.staleOrThrow();
    this.lastAttemptAt = Date.now();
    const generation = this.generation;
    const keys = await this.fetchFromSomeNode();
    if (!keys) {
      this.lastFailureAt = Date.now();
      this.metrics.keyRefresh('error');
      return this.staleOrThrow();
    }
    const map = new Map<string, KnownKey>();
    for (const k of keys) {
      map.set(digestOf(k.key).toString('base64'), {
        uid: k.uid,
        actions: k.actions,
        indexes: k.indexes,
        expiresAt: k.expiresAt === null ? null : Date.parse(k.expiresAt),
      });
    }
    this.byDigest = map;
    this.loadedAt = Date.now();
    this.metrics.keyRefresh('ok');
    // A key changed while this list was in flight: use it, but reload on the next lookup.
    if (generation !== this.generation) this.lastAttemptAt = 0;
    else this.reloadAt = this.loadedAt + KEY_LIST_TTL_MS;
  }

  /** Keep answering from a recent list while no node answers; refuse once it is too old. */
  private staleOrThrow(): void {
    if (Date.now() - this.loadedAt > MAX_STALE_MS) throw errors.keyCheckUnavailable();
  }

  /** The full key list of the first healthy node that answers (node id order, for stability). */
  private async fetchFromSomeNode(): Promise<Key[] | undefined> {
    const nodes = this.topology
      .topology()
      .nodes.filter((n) => n.state !== 'removed' && n.state !== 'joining')
      .map((n) => n.id)
      .sort(compareIds);
    const ordered = [...nodes.filter((id) => this.health.isHealthy(id)), ...nodes.filter((id) => !this.health.isHealthy(id))];
    for (const id of ordered) {
      try {
        return await this.listAll(id);
      } catch (err) {
        // Error messages of the node client never contain keys (paths under /keys/ are redacted).
        this.logger.warn({ node: id, err: (err as Error).message }, 'cannot list API keys on node; trying the next one');
      }
    }
    return undefined;
  }

  private async listAll(nodeId: string): Promise<Key[]> {
    const client = this.clients.get(nodeId);
    const out: Key[] = [];
    for (let offset = 0; offset < MAX_KEYS; offset += PAGE) {
      const page = await client.listKeys({ offset, limit: PAGE });
      out.push(...page.results);
      if (page.results.length < PAGE || out.length >= page.total) break;
    }
    return out;
  }
}
