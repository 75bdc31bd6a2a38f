import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequireAction } from '../auth/decorators';
import { tenantFilterFor, tenantRuleFilter } from '../auth/principal';
import { jsonRouteValue } from './json-route-body';
import { applyHeaders, readContext } from './read-http';
import type { QueryString } from './search-params';
import { similarQueryFromQueryString, validateSimilarBody, type SimilarQuery } from './similar-params';
import { SimilarService, type SimilarResponse } from './similar.service';

@Controller('indexes/:uid')
export class SimilarController {
  constructor(private readonly similar: SimilarService) {}

  @Post('similar')
  @HttpCode(200)
  @RequireAction('search')
  post(@Param('uid') uid: string, @Body() body: Buffer, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<SimilarResponse> {
    return this.run(uid, validateSimilarBody(jsonRouteValue(req, body)), req, reply);
  }

  @Get('similar')
  @RequireAction('search')
  get(@Param('uid') uid: string, @Query() query: QueryString, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<SimilarResponse> {
    return this.run(uid, similarQueryFromQueryString(query), req, reply);
  }

  private async run(uid: string, params: SimilarQuery, req: FastifyRequest, reply: FastifyReply): Promise<SimilarResponse> {
    // A tenant token's rule filter applies to similar documents too, as on Meilisearch.
    const filter = tenantFilterFor(req, uid, params.filter, 'similar');
    const scoped = filter === params.filter ? params : { ...params, filter };
    const result = await this.similar.similar(uid, scoped, readContext(req), tenantRuleFilter(req, uid));
    applyHeaders(reply, result.headers);
    return result.body;
  }
}
