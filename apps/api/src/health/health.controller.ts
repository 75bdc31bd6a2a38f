import { Controller, Get, HttpCode } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { ReadinessIndicators } from './readiness.indicators';

@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: ReadinessIndicators,
  ) {}

  /** Meilisearch's liveness answer: Miroir itself is up (SPEC §7). */
  @Get('health')
  @HttpCode(200)
  live(): { status: 'available' } {
    return { status: 'available' };
  }

  /** Ready only when Postgres and Temporal answer (and, with the router, every shard is covered). */
  @Get('_miroir/ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.indicators.postgres(), () => this.indicators.temporal()]);
  }
}
