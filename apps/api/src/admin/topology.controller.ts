import { Controller, Get } from '@nestjs/common';
import { AdminOnly } from '../auth/decorators';
import { HealthMonitor } from '../cluster/health-monitor.service';
import { TopologyService } from '../cluster/topology.service';

export interface TopologyNodeView {
  id: string;
  address: string;
  group: number;
  state: string;
  /** This API pod's own view (its health checks), not a cluster-wide verdict. */
  healthy: boolean;
  consecutiveFailures: number;
  latencyMs: number | null;
  lastCheckedAt: string | null;
  lastError: string | null;
}

export interface TopologyView {
  version: number;
  replicationFactor: number;
  replicaGroups: number;
  nodes: TopologyNodeView[];
}

/** `GET /_miroir/topology` (docs/design.md#admin-api): the topology this pod routes by, with its health view. */
@AdminOnly()
@Controller('_miroir')
export class TopologyController {
  constructor(
    private readonly topology: TopologyService,
    private readonly health: HealthMonitor,
  ) {}

  @Get('topology')
  get(): TopologyView {
    const t = this.topology.topology();
    const snapshot = this.health.snapshot();
    return {
      version: t.version,
      replicationFactor: t.replicationFactor,
      replicaGroups: t.groups,
      nodes: t.nodes.map((n) => {
        const h = snapshot[n.id];
        return {
          id: n.id,
          address: n.address,
          group: n.group,
          state: n.state,
          healthy: this.health.isHealthy(n.id),
          consecutiveFailures: h?.failures ?? 0,
          latencyMs: h?.latencyMs ?? null,
          lastCheckedAt: h?.lastCheckedAt?.toISOString() ?? null,
          // Only while the node is failing: a recovered node's old error is noise.
          lastError: h && (!h.healthy || h.failures > 0) ? (h.lastError ?? null) : null,
        };
      }),
    };
  }
}
