import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '@miroir/config';
import { compareIds } from '@miroir/core';
import { isNodeHttpError, type NodeClient } from '@miroir/meili';
import { HealthMonitor } from '../cluster/health-monitor.service';
import { NodeClientsService } from '../cluster/node-clients.service';
import { TopologyService } from '../cluster/topology.service';
import { errors } from '../errors/catalog';
import { MeiliError } from '../errors/meili-error';
import { LOGGER } from '../infra/tokens';

/**
 * Runs a read that any node can answer (settings, keys, version) on one node: healthy ones first,
 * rotating for load, then the rest; the next node on a transport failure. A node's 4xx answer is
 * the answer (forwarded as Meilisearch gave it).
 */
@Injectable()
export class NodePicker {
  private seq = 0;

  constructor(
    private readonly topology: TopologyService,
    private readonly clients: NodeClientsService,
    private readonly health: HealthMonitor,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Nodes healthy first: for reads those holding index data (not removed, not joining — a joining
   * node may not have every index yet); with `includeJoining`, every member (for node-wide writes).
   */
  nodeIds(includeJoining = false): string[] {
    const ids = this.topology
      .topology()
      .nodes.filter((n) => n.state !== 'removed' && (includeJoining || n.state !== 'joining'))
      .map((n) => n.id)
      .sort(compareIds);
    const healthy = ids.filter((id) => this.health.isHealthy(id));
    const start = healthy.length === 0 ? 0 : this.seq++ % healthy.length;
    const rotated = [...healthy.slice(start), ...healthy.slice(0, start)];
    return [...rotated, ...ids.filter((id) => !this.health.isHealthy(id))];
  }

  async readFromOne<T>(what: string, fn: (client: NodeClient) => Promise<T>): Promise<T> {
    for (const id of this.nodeIds()) {
      try {
        return await fn(this.clients.get(id));
      } catch (err) {
        if (isNodeHttpError(err) && err.status < 500) throw forwarded(err.status, err.toMeiliError());
        this.logger.warn({ node: id, err: (err as Error).message }, `node could not answer ${what}; trying another`);
      }
    }
    throw errors.nodeUnavailable(what);
  }
}

export function forwarded(status: number, body: unknown): MeiliError {
  return MeiliError.fromNode(status, body);
}
