import { Global, Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Server } from 'node:http';
import type { LoadedConfig, Logger } from '@miroir/config';
import { LOADED_CONFIG, LOGGER } from '../infra/tokens';
import { closeServer, startMetricsServer } from './metrics-server';
import { MetricsService } from './metrics.service';
import { TaskRegistryGauge } from './task-registry-gauge';

/**
 * Prometheus metrics (docs/observability.md). Global: every module records through MetricsService. The same
 * registry is served on `GET /_miroir/metrics` (admin API) and on the separate metrics port.
 */
@Global()
@Module({
  providers: [MetricsService, TaskRegistryGauge],
  exports: [MetricsService],
})
export class ObservabilityModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: Server;

  constructor(
    private readonly metrics: MetricsService,
    @Inject(LOADED_CONFIG) private readonly loaded: LoadedConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { host, metrics_port } = this.loaded.config.server;
    if (metrics_port === 0) return;
    this.server = await startMetricsServer(this.metrics, host, metrics_port, this.logger);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.server) await closeServer(this.server);
  }
}
