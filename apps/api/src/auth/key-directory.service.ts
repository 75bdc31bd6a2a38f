import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { LoadedConfig, Logger } from '@miroir/config';
import { CHANNELS, loadApiKeys, type StoredApiKey } from '@miroir/store';
import { ChangeFeed } from '../cluster/change-feed.service';
import { errors } from '../errors/catalog';
import { DATA_SOURCE, LOADED_CONFIG, LOGGER } from '../infra/tokens';
import { parseKeyUid } from '../keys/key-uid';
import { MetricsService } from '../observability/metrics.service';
import { keyValue } from './key-value';
import { digestOf } from './secret';

/** What the guard needs of an API key. The key's value itself is never kept, only its digest. */
export interface KnownKey {
  readonly uid: string;
  readonly actions: readonly string[];
  readonly indexes: readonly string[];
  /** Epoch ms, or null for a key that never expires. */
  readonly expiresAt: number | null;
}

/** Even with every notification lost, a change is seen after at most this long. */
export const KEY_SAFETY_RELOAD_MS = 10_000;
/** An unknown token triggers at most one reload per this interval: floods never reach Postgres. */
const MISS_RELOAD_INTERVAL_MS = 1_000;
/** After a failed load, wait this long before asking Postgres again. */
const RETRY_AFTER_FAILURE_MS = 1_000;
/** While Postgres does not answer, a list this old is still trusted rather than refusing every key. */
const MAX_STALE_MS = 60_000;
/** A key value: 32 bytes in hex, which Meilisearch decodes in any case. */
const KEY_VALUE = /^[0-9a-fA-F]{64}$/;

/**
 * The cluster's API keys (Postgres table `api_keys`, docs/architecture.md "API keys"), held in
 * memory by every API pod and indexed by the SHA-256 of each key's value, which follows from the
 * client master key and the key's uid. Checking a key costs no node or database round trip.
 *
 * Why a full in-memory index rather than a query per token: a bearer token never leaves Miroir
 * (not even as a digest), lookups by digest are constant-time in the token, memory is bounded by
 * the number of real keys instead of by what clients send, and a flood of wrong keys costs at
 * most one Postgres read per second.
 *
 * Freshness: every key change NOTIFYs `miroir_keys` in its transaction; each pod reloads on it (a
 * deleted key stops working everywhere within the notification's latency, well under a second).
 * Behind that, an unknown token reloads at most once per second (a key created through another pod
 * a moment ago), a reconnect of the change feed reloads (notifications may have been lost), and a
 * safety reload runs every KEY_SAFETY_RELOAD_MS.
 */
@Injectable()
export class KeyDirectory implements OnModuleInit, OnModuleDestroy {
  private byDigest = new Map<string, KnownKey>();
  private byUid = new Map<string, KnownKey>();
  /** Digest of each key's value by uid: an HMAC and a hash per key, computed once, not per reload. */
  private digests = new Map<string, string>();
  private readonly masterKey: string | undefined;
  /** Bumped by every announced change; the index is current when it was loaded at this generation. */
  private generation = 0;
  private loadedGeneration = -1;
  private loadedAt = 0;
  private lastAttemptAt = 0;
  private lastFailureAt = 0;
  private inflight?: Promise<void>;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(LOADED_CONFIG) loaded: LoadedConfig,
    private readonly feed: ChangeFeed,
    private readonly metrics: MetricsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.masterKey = loaded.secrets.masterKey || undefined;
  }

  async onModuleInit(): Promise<void> {
    // Without a master key there are no API keys: Meilisearch refuses the key routes then.
    if (!this.masterKey) return;
    this.feed.on(CHANNELS.keys, () => this.invalidate());
    this.feed.onReconnect(() => this.invalidate());
    this.timer = setInterval(() => {
      if (Date.now() - this.loadedAt >= KEY_SAFETY_RELOAD_MS) void this.reload().catch(() => undefined);
    }, KEY_SAFETY_RELOAD_MS / 4);
    this.timer.unref();
    await this.reload().catch(() => undefined); // logged by load(); lookups retry
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** The key whose value is `token`, or undefined. Throws 503 when keys cannot be checked at all. */
  lookup(token: string): Promise<KnownKey | undefined> {
    const digest = this.tokenDigest(token);
    if (digest === undefined) return Promise.resolve(undefined);
    return this.find(() => this.byDigest.get(digest), false);
  }

  /** The key with this uid (any form Meilisearch reads: hyphenated, simple, braced, URN), or undefined. */
  lookupUid(uid: string): Promise<KnownKey | undefined> {
    const parsed = parseKeyUid(uid);
    if ('error' in parsed) return Promise.resolve(undefined);
    return this.find(() => this.byUid.get(parsed.uid), false);
  }

  /**
   * For the /keys routes (`/keys/{key}`): like lookup(), but a miss always reloads first, so a key
   * created through another pod a moment ago is found. Those routes need a keys.* action already.
   */
  findByValue(token: string): Promise<KnownKey | undefined> {
    const digest = this.tokenDigest(token);
    if (digest === undefined) return Promise.resolve(undefined);
    return this.find(() => this.byDigest.get(digest), true);
  }

  /** A change announced (NOTIFY, or made through this pod): reload now, and before the next lookup. */
  invalidate(): void {
    this.generation++;
    void this.reload().catch(() => undefined);
  }

  /** Reloads and waits: after a change made through this pod, its answer reflects the change. */
  async refresh(): Promise<void> {
    this.generation++;
    await this.reload();
  }

  private tokenDigest(token: string): string | undefined {
    if (!this.masterKey || !KEY_VALUE.test(token)) return undefined;
    return digestOf(token.toLowerCase()).toString('base64');
  }

  private async find(get: () => KnownKey | undefined, reloadOnMiss: boolean): Promise<KnownKey | undefined> {
    if (this.loadedGeneration !== this.generation || Date.now() - this.loadedAt >= KEY_SAFETY_RELOAD_MS) await this.reload();
    const found = get();
    if (found) return found;
    if (!reloadOnMiss && Date.now() - this.lastAttemptAt < MISS_RELOAD_INTERVAL_MS) return undefined;
    await this.refresh();
    return get();
  }

  /** One load at a time; concurrent callers share it; it loads again while changes keep coming. */
  private reload(): Promise<void> {
    this.inflight ??= this.loadUntilCurrent().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async loadUntilCurrent(): Promise<void> {
    while (this.loadedGeneration !== this.generation || Date.now() - this.loadedAt >= KEY_SAFETY_RELOAD_MS) {
      if (!(await this.load())) {
        // Keep answering from a recent index while Postgres does not answer; refuse once too old.
        if (Date.now() - this.loadedAt > MAX_STALE_MS) throw errors.keyCheckUnavailable();
        return;
      }
    }
  }

  private async load(): Promise<boolean> {
    if (Date.now() - this.lastFailureAt < RETRY_AFTER_FAILURE_MS) return false;
    const generation = this.generation;
    this.lastAttemptAt = Date.now();
    let keys: StoredApiKey[];
    try {
      keys = await loadApiKeys(this.ds);
    } catch (err) {
      this.lastFailureAt = Date.now();
      this.metrics.keyRefresh('error');
      this.logger.warn({ err: (err as Error).message }, 'cannot load the API keys from Postgres');
      return false;
    }
    this.index(keys);
    this.loadedGeneration = generation;
    this.loadedAt = Date.now();
    this.metrics.keyRefresh('ok');
    return true;
  }

  private index(keys: readonly StoredApiKey[]): void {
    const byDigest = new Map<string, KnownKey>();
    const byUid = new Map<string, KnownKey>();
    const digests = new Map<string, string>();
    for (const k of keys) {
      const digest = this.digests.get(k.uid) ?? digestOf(keyValue(this.masterKey!, k.uid)).toString('base64');
      const known: KnownKey = { uid: k.uid, actions: k.actions, indexes: k.indexes, expiresAt: k.expiresAtMs };
      digests.set(k.uid, digest);
      byDigest.set(digest, known);
      byUid.set(k.uid, known);
    }
    this.byDigest = byDigest;
    this.byUid = byUid;
    this.digests = digests;
  }
}
