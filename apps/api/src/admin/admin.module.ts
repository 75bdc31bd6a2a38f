import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { ShardsController } from './shards.controller';
import { TopologyController } from './topology.controller';

/**
 * The /_miroir admin API (docs/design.md#admin-api), every route behind the admin key. `GET /_miroir/ready` lives
 * in HealthModule (Terminus) and is public for probes.
 */
@Module({
  controllers: [TopologyController, ShardsController, MetricsController],
})
export class AdminModule {}
