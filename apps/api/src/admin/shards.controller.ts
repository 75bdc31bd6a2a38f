import { Controller, Get, Query } from '@nestjs/common';
import { AdminOnly } from '../auth/decorators';
import { HealthMonitor } from '../cluster/health-monitor.service';
import { IndexRegistry } from '../cluster/index-registry.service';
import { TopologyService } from '../cluster/topology.service';
import { shardReport, type IndexShardReport } from './shard-report';

/**
 * `GET /_miroir/shards[?index=uid]` (docs/design.md#admin-api): per index its shard count and, per shard, the
 * owners in every group with this pod's health view, and the shards no healthy replica holds.
 */
@AdminOnly()
@Controller('_miroir')
export class ShardsController {
  constructor(
    private readonly topology: TopologyService,
    private readonly indexes: IndexRegistry,
    private readonly health: HealthMonitor,
  ) {}

  @Get('shards')
  async get(@Query('index') index?: string | string[]): Promise<{ topologyVersion: number; indexes: IndexShardReport[] }> {
    const uid = Array.isArray(index) ? index[0] : index;
    const records = uid ? [await this.indexes.get(uid)] : this.indexes.all();
    const cache = new Map<string, boolean>();
    const isHealthy = (id: string): boolean => {
      let h = cache.get(id);
      if (h === undefined) cache.set(id, (h = this.health.isHealthy(id)));
      return h;
    };
    return {
      topologyVersion: this.topology.topology().version,
      indexes: records.map((r) => shardReport(r, this.topology.table(r), isHealthy)),
    };
  }
}
