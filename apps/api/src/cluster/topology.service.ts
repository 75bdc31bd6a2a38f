import { EventEmitter } from 'node:events';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { buildShardTable, type MigrationRoute, type ShardTable, type Topology } from '@miroir/core';
import type { LoadedConfig, Logger } from '@miroir/config';
import { CHANNELS, loadMigrationRoutes, loadTopology, seedTopology, toCoreTopology } from '@miroir/store';
import { errors } from '../errors/catalog';
import { DATA_SOURCE, LOADED_CONFIG, LOGGER } from '../infra/tokens';
import { ChangeFeed } from './change-feed.service';

/**
 * Writes are routed only by a table confirmed against Postgres at most this long ago (see
 * writeTable). A shard migration waits `rebalance.grace_ms` after each routing change for every pod
 * to have switched; this bound is what makes that wait sufficient even for a pod whose NOTIFY
 * connection broke silently, so grace_ms must exceed it (the config schema enforces 3 s).
 */
export const WRITE_ROUTING_MAX_AGE_MS = 2_000;
/** The fallback poll for a missed NOTIFY: one indexed row, and well inside the bound above. */
const POLL_MS = 1_000;
/** How long a write waits for a confirming reload before it is refused with a 503. */
const CONFIRM_TIMEOUT_MS = 2_000;

/**
 * The cluster topology as this API process routes by it: loaded from Postgres (seeded from the
 * configuration on the very first start), refreshed on NOTIFY and by a periodic poll, with the
 * shard → nodes table precomputed once per (version, shard count) (docs/design.md#shard-assignment, docs/design.md#topology-versions).
 */
@Injectable()
export class TopologyService implements OnModuleInit, OnModuleDestroy {
  private current!: Topology;
  /** Shard migrations in flight, by index (docs/design.md#workflows): their shards route by the overlay. */
  private migrations = new Map<string, MigrationRoute[]>();
  private tables = new Map<string, ShardTable>();
  private poll?: NodeJS.Timeout;
  private readonly events = new EventEmitter();
  /** performance.now() when the newest successful load began: the age of what we route by. */
  private confirmedAt = Number.NEGATIVE_INFINITY;
  private confirming?: Promise<void>;

  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(LOADED_CONFIG) private readonly loaded: LoadedConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly feed: ChangeFeed,
  ) {}

  private ready?: Promise<void>;

  /** Nest runs providers' init hooks concurrently: dependents await this instead. */
  whenReady(): Promise<void> {
    this.ready ??= this.init();
    return this.ready;
  }

  onModuleInit(): Promise<void> {
    return this.whenReady();
  }

  private async init(): Promise<void> {
    const { config } = this.loaded;
    if (config.nodes.length > 0) {
      const seeded = await seedTopology(this.ds, {
        replicationFactor: config.cluster.replication_factor,
        replicaGroups: config.cluster.replica_groups,
        nodes: config.nodes,
      });
      if (seeded) this.logger.info({ nodes: config.nodes.length }, 'seeded the topology from configuration');
    }
    await this.reload();
    this.feed.on(CHANNELS.topology, () => void this.reloadQuietly());
    this.feed.onReconnect(() => void this.reloadQuietly());
    // Fallback for a missed notification: cheap, one indexed row.
    // While a load hangs (Postgres unreachable) the poll joins it instead of stacking more.
    this.poll = setInterval(() => void this.confirm().catch((err: Error) => this.logger.warn({ err: err.message }, 'topology poll failed')), POLL_MS);
    this.poll.unref();
  }

  onModuleDestroy(): void {
    if (this.poll) clearInterval(this.poll);
  }

  topology(): Topology {
    return this.current;
  }

  /**
   * The routing table of an index, built once per topology version: the placement of its S
   * shards, with the index's in-flight shard migrations overlaid (dual-write: writes to old and
   * new owners, reads from the old; cut-over: both to the new).
   */
  table(index: { uid: string; shards: number }): ShardTable {
    const routes = this.migrations.get(index.uid);
    const key = routes ? `${index.shards}:${index.uid}` : `${index.shards}`;
    let t = this.tables.get(key);
    if (!t) {
      t = buildShardTable(this.current, index.shards, routes);
      this.tables.set(key, t);
    }
    return t;
  }

  onChange(listener: (t: Topology) => void): void {
    this.events.on('change', listener);
  }

  /**
   * The routing table for a write: table(), after making sure it reflects Postgres as of at most
   * WRITE_ROUTING_MAX_AGE_MS ago. When the last confirmation is older (NOTIFY and the poll both
   * failing, i.e. Postgres unreachable or very slow), the write waits for one reload and is refused
   * with `miroir_topology_unavailable` if that fails — before any node is written, so nothing is
   * half-applied by a table a shard migration may already have moved past. Reads keep using the
   * last table: they stay available without Postgres and cannot lose data.
   */
  async writeTable(index: { uid: string; shards: number }): Promise<ShardTable> {
    await this.confirmForWrite();
    return this.table(index);
  }

  /**
   * Throws 503 miroir_topology_unavailable, within CONFIRM_TIMEOUT_MS, when the topology this pod
   * routes by is older than WRITE_ROUTING_MAX_AGE_MS and cannot be reloaded: a write must not be
   * routed (or wait on Postgres) when the database is out of reach.
   */
  async confirmForWrite(): Promise<void> {
    if (performance.now() - this.confirmedAt > WRITE_ROUTING_MAX_AGE_MS) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          this.confirm(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${CONFIRM_TIMEOUT_MS} ms`)), CONFIRM_TIMEOUT_MS);
          }),
        ]);
      } catch (err) {
        this.logger.warn({ err: (err as Error).message }, 'cannot confirm the topology for a write; refusing it');
        throw errors.topologyUnavailable();
      } finally {
        clearTimeout(timer);
      }
    }
  }

  /** One shared reload at a time for the poll and for writes (NOTIFY reloads on its own). */
  private confirm(): Promise<void> {
    this.confirming ??= this.reload().finally(() => {
      this.confirming = undefined;
    });
    return this.confirming;
  }

  async reload(): Promise<void> {
    const started = performance.now();
    const stored = await loadTopology(this.ds);
    if (!stored) {
      throw new Error('no topology in Postgres and no nodes in the configuration: add `nodes:` to the config file or MIROIR_NODES');
    }
    // Versions only grow: a slower, older concurrent load (poll vs NOTIFY) must not win.
    if (this.current && stored.version <= this.current.version) {
      this.confirmedAt = Math.max(this.confirmedAt, started);
      return;
    }
    // Every migration row change bumps the topology version in the same transaction, so one
    // version check covers both.
    const migrations = await loadMigrationRoutes(this.ds);
    if (this.current && stored.version <= this.current.version) return;
    this.migrations = migrations;
    this.current = toCoreTopology(stored);
    this.tables = new Map();
    this.confirmedAt = Math.max(this.confirmedAt, started);
    this.logger.info({ version: stored.version, nodes: stored.nodes.length }, 'topology loaded');
    this.events.emit('change', this.current);
  }

  private async reloadQuietly(): Promise<void> {
    try {
      await this.reload();
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'topology reload failed; keeping the previous one');
    }
  }
}
