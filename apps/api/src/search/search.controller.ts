import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SearchResponse } from '@miroir/core';
import { RequireAction } from '../auth/decorators';
import { principalOf } from '../auth/principal';
import { IndexRegistry } from '../cluster/index-registry.service';
import { readErrors } from './read-errors';
import { applyHeaders, jsonObjectBody, readContext } from './read-http';
import { searchQueryFromQueryString, validateSearchBody, type QueryString } from './search-params';
import { SearchService } from './search.service';
import { scopeToTenant } from './tenant-scope';

@Controller('indexes/:uid')
export class SearchController {
  constructor(
    private readonly search: SearchService,
    private readonly registry: IndexRegistry,
  ) {}

  @Post('search')
  @HttpCode(200)
  @RequireAction('search')
  async post(@Param('uid') uid: string, @Body() body: Buffer, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<SearchResponse> {
    const params = scopeToTenant(principalOf(req), uid, validateSearchBody(jsonObjectBody(req, body, true)));
    const result = await this.search.search(uid, params, readContext(req));
    applyHeaders(reply, result.headers);
    return result.body;
  }

  @Get('search')
  @RequireAction('search')
  async get(@Param('uid') uid: string, @Query() query: QueryString, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<SearchResponse> {
    const params = scopeToTenant(principalOf(req), uid, searchQueryFromQueryString(query));
    const result = await this.search.search(uid, params, readContext(req));
    applyHeaders(reply, result.headers);
    return result.body;
  }

  /**
   * Miroir's routing plan for a search body, without running it; `?execute=true` runs that very
   * plan and adds the merged answer and what happened (failed nodes, uncovered shards).
   */
  @Post('explain')
  @HttpCode(200)
  @RequireAction('search')
  async explain(
    @Param('uid') uid: string,
    @Body() body: Buffer,
    @Query() query: QueryString,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    for (const k of Object.keys(query)) if (k !== 'execute') throw readErrors.unknownParameter(k, ['execute']);
    const execute = query['execute'];
    if (execute !== undefined && execute !== 'true' && execute !== 'false') {
      throw readErrors.queryBoolean('bad_request', 'execute', String(execute));
    }
    const params = scopeToTenant(principalOf(req), uid, validateSearchBody(jsonObjectBody(req, body, true)));
    const index = await this.registry.get(uid);
    const ctx = readContext(req);
    const plan = this.search.plan(index, params, ctx);
    const described = await this.search.describe(plan, params);
    if (execute !== 'true') return { plan: described };
    const run = await this.search.execute(plan, params, ctx);
    applyHeaders(reply, run.headers);
    return {
      plan: described,
      execution: {
        failedNodes: run.outcome.failedNodes,
        uncoveredShards: run.outcome.uncovered,
        answeredBy: run.outcome.parts.map((p) => ({ nodeId: p.target.nodeId, shards: p.target.shards })),
      },
      result: run.response,
    };
  }
}
