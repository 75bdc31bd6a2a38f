import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AdminOnly } from '../auth/decorators';
import { MetricsService } from '../observability/metrics.service';

/** `GET /_miroir/metrics` (docs/design.md#admin-api, docs/observability.md): the Prometheus registry, behind the admin key. */
@AdminOnly()
@Controller('_miroir')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get('metrics')
  async get(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const text = await this.metrics.render();
    void reply.header('content-type', this.metrics.contentType);
    return text;
  }
}
