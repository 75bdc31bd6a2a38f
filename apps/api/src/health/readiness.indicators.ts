import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { redactSecrets, type LoadedConfig } from '@miroir/config';
import { HealthMonitor } from '../cluster/health-monitor.service';
import { IndexRegistry } from '../cluster/index-registry.service';
import { TopologyService } from '../cluster/topology.service';
import { unavailableShards } from '../admin/shard-report';
import { DATA_SOURCE, LOADED_CONFIG, TEMPORAL_CLIENT } from '../infra/tokens';

@Injectable()
export class ReadinessIndicators {
  constructor(
    private readonly indicator: HealthIndicatorService,
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(LOADED_CONFIG) private readonly loaded: LoadedConfig,
    private readonly topology: TopologyService,
    private readonly indexes: IndexRegistry,
    private readonly health: HealthMonitor,
  ) {}

  async postgres() {
    const check = this.indicator.check('postgres');
    try {
      await this.ds.query('SELECT 1');
      return check.up();
    } catch (err) {
      return check.down({ message: this.safe(err) });
    }
  }

  async temporal() {
    const check = this.indicator.check('temporal');
    try {
      // A cheap RPC that proves the frontend and the namespace answer.
      await this.client.workflowService.getSystemInfo({});
      return check.up();
    } catch (err) {
      return check.down({ message: this.safe(err) });
    }
  }

  /**
   * Every shard of every index has a healthy replica in some group (this pod's health view), so
   * every read can be answered completely. The readiness answer is public (probes send no
   * headers): it carries counts only; `GET /_miroir/shards` (admin) names the indexes and shards.
   */
  shards() {
    const check = this.indicator.check('shards');
    const cache = new Map<string, boolean>();
    const isHealthy = (id: string): boolean => {
      let h = cache.get(id);
      if (h === undefined) cache.set(id, (h = this.health.isHealthy(id)));
      return h;
    };
    let indexes = 0;
    let shards = 0;
    for (const index of this.indexes.all()) {
      const missing = unavailableShards(this.topology.table(index), isHealthy);
      if (missing.length > 0) {
        indexes++;
        shards += missing.length;
      }
    }
    const total = this.indexes.all().length;
    if (indexes === 0) return check.up({ indexes: total });
    return check.down({ indexes: total, indexesWithUnavailableShards: indexes, unavailableShards: shards, see: 'GET /_miroir/shards' });
  }

  /** Driver messages may quote a connection string. */
  private safe(err: unknown): string {
    return redactSecrets((err as Error).message ?? String(err), this.loaded.secrets);
  }
}
