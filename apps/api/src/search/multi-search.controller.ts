import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequireAction } from '../auth/decorators';
import { principalOf } from '../auth/principal';
import { applyHeaders, jsonObjectBody, readContext } from './read-http';
import { MultiSearchService } from './multi-search.service';

@Controller()
export class MultiSearchController {
  constructor(private readonly multi: MultiSearchService) {}

  @Post('multi-search')
  @HttpCode(200)
  @RequireAction('search')
  async multiSearch(@Body() body: Buffer, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    const result = await this.multi.multiSearch(jsonObjectBody(req, body, false), readContext(req), principalOf(req));
    applyHeaders(reply, result.headers);
    return result.body;
  }
}
