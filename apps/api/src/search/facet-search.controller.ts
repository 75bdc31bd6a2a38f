import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequireAction } from '../auth/decorators';
import { principalOf } from '../auth/principal';
import { validateFacetSearchBody } from './facet-search-params';
import { FacetSearchService, type FacetSearchResponse } from './facet-search.service';
import { jsonRouteValue } from './json-route-body';
import { applyHeaders, readContext } from './read-http';
import { scopeFacetSearch } from './tenant-scope';

@Controller('indexes/:uid')
export class FacetSearchController {
  constructor(private readonly facets: FacetSearchService) {}

  @Post('facet-search')
  @HttpCode(200)
  @RequireAction('search')
  async post(@Param('uid') uid: string, @Body() body: Buffer, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<FacetSearchResponse> {
    const params = scopeFacetSearch(principalOf(req), uid, validateFacetSearchBody(jsonRouteValue(req, body)));
    const result = await this.facets.facetSearch(uid, params, readContext(req));
    applyHeaders(reply, result.headers);
    return result.body;
  }
}
