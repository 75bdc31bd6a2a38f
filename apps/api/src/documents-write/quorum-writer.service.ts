import { Inject, Injectable } from '@nestjs/common';
import { evaluateQuorum, type QuorumOutcome, type ShardTable } from '@miroir/core';
import type { LoadedConfig, Logger } from '@miroir/config';
import { isNodeHttpError, isNodeUnavailable, type EnqueuedTask, type NodeClient } from '@miroir/meili';
import type { NodeTaskRef } from '@miroir/store';
import { HealthMonitor } from '../cluster/health-monitor.service';
import { NodeClientsService } from '../cluster/node-clients.service';
import { errors } from '../errors/catalog';
import { MeiliError } from '../errors/meili-error';
import { LOADED_CONFIG, LOGGER } from '../infra/tokens';
import { MetricsService } from '../observability/metrics.service';
import { replicaShortfallHeader } from './replica-shortfall';

/** One node's part of a write: the request to send it. */
export type NodeWrite = (client: NodeClient, opts: { timeoutMs: number }) => Promise<EnqueuedTask>;

export interface QuorumWriteResult {
  nodeTasks: NodeTaskRef[];
  quorum: QuorumOutcome;
  /** `X-Miroir-Degraded` when some owner of some shard missed the write. */
  degraded?: string;
}

/**
 * Sends one request per node, all in parallel, and judges the write by the per-(shard, group)
 * quorum of docs/design.md#per-group-quorum: a node counts when it answered 202 with a task uid. Throws
 * `miroir_no_quorum` (503) when some shard has no group at quorum — or the nodes' own error when
 * every node refused the request itself (a 4xx: the request, not the cluster, is at fault).
 */
@Injectable()
export class QuorumWriter {
  constructor(
    @Inject(LOADED_CONFIG) private readonly loaded: LoadedConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly clients: NodeClientsService,
    private readonly health: HealthMonitor,
    private readonly metrics: MetricsService,
  ) {}

  async write(table: ShardTable, shards: readonly number[], writes: ReadonlyMap<string, NodeWrite>): Promise<QuorumWriteResult> {
    const { config } = this.loaded;
    const nodeTasks: NodeTaskRef[] = [];
    const refusals: MeiliError[] = [];
    this.metrics.observeFanOut(writes.size, 'write');
    await Promise.all(
      [...writes].map(async ([nodeId, send]) => {
        // A node the health checker already marks down still gets the write (it may be back), but
        // is not waited for longer than a health check would be.
        const timeoutMs = this.health.isHealthy(nodeId) ? config.node_client.timeout_ms : config.health.timeout_ms;
        try {
          const task = await send(this.clients.get(nodeId), { timeoutMs });
          if (typeof task?.taskUid === 'number') nodeTasks.push({ nodeId, taskUid: task.taskUid, status: 'enqueued' });
        } catch (err) {
          if (isNodeUnavailable(err)) {
            this.health.reportFailure(nodeId, err.message);
          } else if (isNodeHttpError(err)) {
            // Auth errors are Miroir's node key, not the client's: those stay a cluster failure.
            if (err.status < 500 && err.status !== 401 && err.status !== 403) refusals.push(new MeiliError(err.code, err.nodeMessage, err.status, meiliType(err.type)));
            this.logger.warn({ node: nodeId, status: err.status, code: err.code }, 'node refused a write');
          } else {
            this.logger.warn({ node: nodeId, err: (err as Error).message }, 'node write failed');
          }
        }
      }),
    );
    const accepted = new Set(nodeTasks.map((t) => t.nodeId));
    const isAccepted = (id: string): boolean => accepted.has(id);
    const quorum = evaluateQuorum(table, shards, isAccepted, config.cluster.write_quorum);
    const degraded = replicaShortfallHeader(table, shards, isAccepted);
    if (!quorum.ok) {
      if (accepted.size === 0 && refusals.length === writes.size && refusals.length > 0) throw refusals[0]!;
      throw errors.noQuorum(quorum.noQuorumShards, degraded);
    }
    // Stable order for storage and for anyone reading node_tasks.
    nodeTasks.sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
    return { nodeTasks, quorum, ...(degraded ? { degraded } : {}) };
  }
}

function meiliType(t: string): 'invalid_request' | 'internal' | 'auth' | 'system' {
  return t === 'internal' || t === 'auth' || t === 'system' ? t : 'invalid_request';
}
