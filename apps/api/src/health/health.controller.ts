import { Controller, Get, HttpCode, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/decorators';
import { ReadinessIndicators } from './readiness.indicators';

@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: ReadinessIndicators,
  ) {}

  /** Meilisearch's liveness answer: Miroir itself is up (docs/api-compatibility.md). No key, as on Meilisearch. */
  @Public()
  @Get('health')
  @HttpCode(200)
  live(): { status: 'available' } {
    return { status: 'available' };
  }

  /**
   * Ready only when Postgres and Temporal answer and every shard of every index has a healthy
   * replica in some group (docs/observability.md): 200 with Terminus's report, else 503 with the same report.
   * Public on purpose: Kubernetes probes cannot send an admin key, and the report names no index,
   * node or secret.
   */
  @Public()
  @Get('_miroir/ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.indicators.postgres(), () => this.indicators.temporal(), () => this.indicators.shards()]);
    } catch (err) {
      // Terminus throws its report inside a 503; answer it as-is rather than through the global
      // filter, which would turn an unknown 5xx into Meilisearch's `internal` error.
      if (err instanceof ServiceUnavailableException) {
        void reply.status(503);
        return err.getResponse() as HealthCheckResult;
      }
      throw err;
    }
  }
}
