import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Document, DocumentsPage } from '@miroir/meili';
import { RequireAction } from '../auth/decorators';
import { documentsQueryFromBody, documentsQueryFromQueryString, oneDocumentQuery } from './documents-params';
import { DocumentsReadService } from './documents-read.service';
import { applyHeaders, jsonObjectBody, readContext } from './read-http';
import type { QueryString } from './search-params';

@Controller('indexes/:uid/documents')
export class DocumentsReadController {
  constructor(private readonly documents: DocumentsReadService) {}

  @Get()
  @RequireAction('documents.get')
  async list(@Param('uid') uid: string, @Query() query: QueryString, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<DocumentsPage> {
    const result = await this.documents.list(uid, documentsQueryFromQueryString(query), readContext(req));
    applyHeaders(reply, result.headers);
    return result.body;
  }

  @Post('fetch')
  @HttpCode(200)
  @RequireAction('documents.get')
  async fetch(@Param('uid') uid: string, @Body() body: Buffer, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<DocumentsPage> {
    const result = await this.documents.list(uid, documentsQueryFromBody(jsonObjectBody(req, body, true)), readContext(req));
    applyHeaders(reply, result.headers);
    return result.body;
  }

  @Get(':id')
  @RequireAction('documents.get')
  async getOne(
    @Param('uid') uid: string,
    @Param('id') id: string,
    @Query() query: QueryString,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Document> {
    const result = await this.documents.getOne(uid, id, oneDocumentQuery(query), readContext(req));
    applyHeaders(reply, result.headers);
    return result.body;
  }
}
