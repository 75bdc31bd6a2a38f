import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GlobalStats, IndexStats } from '@miroir/meili';
import { RequireAction } from '../auth/decorators';
import { applyHeaders, readContext } from './read-http';
import { StatsService } from './stats.service';

@Controller()
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get('indexes/:uid/stats')
  @RequireAction('stats.get')
  async index(@Param('uid') uid: string, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<IndexStats> {
    const result = await this.stats.indexStats(uid, readContext(req));
    applyHeaders(reply, result.headers);
    return result.body;
  }

  @Get('stats')
  @RequireAction('stats.get')
  async global(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<GlobalStats> {
    const result = await this.stats.globalStats(readContext(req));
    applyHeaders(reply, result.headers);
    return result.body;
  }
}
