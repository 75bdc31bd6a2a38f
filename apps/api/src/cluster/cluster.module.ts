import { Global, Module } from '@nestjs/common';
import { AntiEntropyTrigger } from './anti-entropy-trigger.service';
import { ChangeFeed } from './change-feed.service';
import { HealthMonitor } from './health-monitor.service';
import { IndexFields } from './index-fields.service';
import { IndexRegistry } from './index-registry.service';
import { NodeClientsService } from './node-clients.service';
import { TopologyService } from './topology.service';

/** The cluster as this API process sees it: topology, indexes, node clients and node health. */
@Global()
@Module({
  providers: [ChangeFeed, TopologyService, IndexRegistry, IndexFields, NodeClientsService, HealthMonitor, AntiEntropyTrigger],
  exports: [ChangeFeed, TopologyService, IndexRegistry, IndexFields, NodeClientsService, HealthMonitor, AntiEntropyTrigger],
})
export class ClusterModule {}
