import { EventEmitter } from 'node:events';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { buildShardTable, type MigrationRoute, type ShardTable, type Topology } from '@miroir/core';
import type { LoadedConfig, Logger } from '@miroir/config';
import { CHANNELS, loadMigrationRoutes, loadTopology, seedTopology, type StoredTopology } from '@miroir/store';
import { DATA_SOURCE, LOADED_CONFIG, LOGGER } from '../infra/tokens';
import { ChangeFeed } from './change-feed.service';

export function toCoreTopology(stored: StoredTopology): Topology {
  return {
    version: stored.version,
    replicationFactor: stored.replicationFactor,
    groups: stored.replicaGroups,
    nodes: stored.nodes.map((n) => ({ id: n.id, address: n.address, group: n.group, state: n.state })),
  };
}

/**
 * The cluster topology as this API process routes by it: loaded from Postgres (seeded from the
 * configuration on the very first start), refreshed on NOTIFY and by a periodic poll, with the
 * shard → nodes table precomputed once per (version, shard count) (SPEC §3.2–3.3).
 */
@Injectable()
export class TopologyService implements OnModuleInit, OnModuleDestroy {
  private current!: Topology;
  /** Shard migrations in flight, by index (SPEC §8): their shards route by the overlay. */
  private migrations = new Map<string, MigrationRoute[]>();
  private tables = new Map<string, ShardTable>();
  private poll?: NodeJS.Timeout;
  private readonly events = new EventEmitter();

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
    this.poll = setInterval(() => void this.reloadQuietly(), 5_000);
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

  async reload(): Promise<void> {
    const stored = await loadTopology(this.ds);
    if (!stored) {
      throw new Error('no topology in Postgres and no nodes in the configuration: add `nodes:` to the config file or MIROIR_NODES');
    }
    if (this.current && stored.version === this.current.version) return;
    // Every migration row change bumps the topology version in the same transaction, so one
    // version check covers both.
    this.migrations = await loadMigrationRoutes(this.ds);
    this.current = toCoreTopology(stored);
    this.tables = new Map();
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
