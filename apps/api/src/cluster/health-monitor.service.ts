import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { LoadedConfig, Logger } from '@miroir/config';
import { LOADED_CONFIG, LOGGER } from '../infra/tokens';
import { NodeClientsService } from './node-clients.service';
import { TopologyService } from './topology.service';

interface NodeHealth {
  healthy: boolean;
  failures: number;
  successes: number;
  lastError?: string;
  lastCheckedAt?: Date;
  latencyMs?: number;
}

/**
 * Per-process view of node health (docs/design.md#topology-versions): GET /health on every node each interval; a node is
 * skipped by reads after `unhealthy_threshold` consecutive failures and used again after
 * `recovery_threshold` consecutive successes. Kept in memory on purpose: every API pod decides
 * from its own vantage point and reacts within one interval, without coordinating through
 * Postgres; the `failed` state in the topology is the operator's, long-term decision.
 * Request failures seen by the read and write paths count as failed checks too.
 */
@Injectable()
export class HealthMonitor implements OnModuleInit, OnModuleDestroy {
  private readonly state = new Map<string, NodeHealth>();
  private timer?: NodeJS.Timeout;
  private readonly listeners = new Set<(nodeId: string, healthy: boolean) => void>();

  constructor(
    @Inject(LOADED_CONFIG) private readonly loaded: LoadedConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly topology: TopologyService,
    private readonly clients: NodeClientsService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.clients.whenReady();
    void this.checkAll();
    this.timer = setInterval(() => void this.checkAll(), this.loaded.config.health.interval_ms);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Unknown nodes start healthy: a fresh pod must not refuse traffic before its first check. */
  isHealthy(nodeId: string): boolean {
    const node = this.topology.topology().nodes.find((n) => n.id === nodeId);
    if (!node || node.state === 'failed' || node.state === 'removed') return false;
    return this.state.get(nodeId)?.healthy ?? true;
  }

  /** For the admin API and metrics. */
  snapshot(): Record<string, NodeHealth> {
    return Object.fromEntries(this.state);
  }

  onTransition(listener: (nodeId: string, healthy: boolean) => void): void {
    this.listeners.add(listener);
  }

  /** Feedback from a failed request to the node (connection refused, timeout…). */
  reportFailure(nodeId: string, reason: string): void {
    this.record(nodeId, false, reason);
  }

  async checkAll(): Promise<void> {
    const { timeout_ms } = this.loaded.config.health;
    const nodes = this.topology.topology().nodes.filter((n) => n.state !== 'removed');
    await Promise.all(
      nodes.map(async (n) => {
        const t0 = Date.now();
        try {
          await this.clients.get(n.id).health({ timeoutMs: timeout_ms });
          this.record(n.id, true, undefined, Date.now() - t0);
        } catch (err) {
          this.record(n.id, false, (err as Error).message);
        }
      }),
    );
  }

  private record(nodeId: string, ok: boolean, error?: string, latencyMs?: number): void {
    const { unhealthy_threshold, recovery_threshold } = this.loaded.config.health;
    const h = this.state.get(nodeId) ?? { healthy: true, failures: 0, successes: 0 };
    h.lastCheckedAt = new Date();
    if (ok) {
      h.successes++;
      h.failures = 0;
      h.latencyMs = latencyMs;
      if (!h.healthy && h.successes >= recovery_threshold) this.flip(nodeId, h, true);
    } else {
      h.failures++;
      h.successes = 0;
      h.lastError = error;
      if (h.healthy && h.failures >= unhealthy_threshold) this.flip(nodeId, h, false);
    }
    this.state.set(nodeId, h);
  }

  private flip(nodeId: string, h: NodeHealth, healthy: boolean): void {
    h.healthy = healthy;
    if (healthy) this.logger.info({ node: nodeId }, 'node recovered');
    else this.logger.warn({ node: nodeId, error: h.lastError }, 'node marked unhealthy');
    for (const l of this.listeners) l(nodeId, healthy);
  }
}
