import { Body, Controller, Delete, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { SESSION_HEADER, SessionService } from '../affinity/session.service';
import { RequireAction } from '../auth/decorators';
import { toBuffer } from '../http/json-body';
import type { SummarizedTask } from '../tasks/task-registry.contract';
import { DocumentsWriteService, type WriteOutcome } from './documents-write.service';
import { checkQueryKeys, parseDeleteFilterBody, parseIdBatch, queryString } from './write-request';

const ADD_QUERY_KEYS = ['primaryKey', 'csvDelimiter', 'customMetadata'];

/** Shard-routed and broadcast document writes (SPEC §4, §7). Every route answers 202 with a summarized task. */
@Controller('indexes/:uid/documents')
export class DocumentsWriteController {
  constructor(
    private readonly writes: DocumentsWriteService,
    private readonly sessions: SessionService,
  ) {}

  /**
   * Answers 202 with the task; with X-Miroir-Session, remembers the write for read-your-writes
   * (SPEC §10). The session id is validated before the write runs.
   */
  private async answer(reply: FastifyReply, write: () => Promise<WriteOutcome>): Promise<SummarizedTask> {
    const sessionId = this.sessions.sessionId(reply.request.headers);
    const { task, degraded, acknowledged } = await write();
    if (degraded) void reply.header('X-Miroir-Degraded', degraded);
    if (sessionId) {
      void reply.header(SESSION_HEADER, sessionId);
      if (acknowledged) await this.sessions.recordWrite(sessionId, { taskUid: task.taskUid, ...acknowledged });
    }
    return task;
  }

  @Post()
  @HttpCode(202)
  @RequireAction('documents.add')
  addOrReplace(
    @Param('uid') uid: string,
    @Query() q: Record<string, unknown>,
    @Headers('content-type') contentType: string | undefined,
    @Body() body: Buffer | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SummarizedTask> {
    return this.add(uid, q, contentType, body, true, reply);
  }

  @Put()
  @HttpCode(202)
  @RequireAction('documents.add')
  addOrUpdate(
    @Param('uid') uid: string,
    @Query() q: Record<string, unknown>,
    @Headers('content-type') contentType: string | undefined,
    @Body() body: Buffer | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SummarizedTask> {
    return this.add(uid, q, contentType, body, false, reply);
  }

  @Post('delete-batch')
  @HttpCode(202)
  @RequireAction('documents.delete')
  deleteBatch(@Param('uid') uid: string, @Body() body: Buffer | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<SummarizedTask> {
    return this.answer(reply, () => this.writes.deleteByIds(uid, parseIdBatch(toBuffer(body))));
  }

  @Post('delete')
  @HttpCode(202)
  @RequireAction('documents.delete')
  deleteByFilter(@Param('uid') uid: string, @Body() body: Buffer | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<SummarizedTask> {
    return this.answer(reply, () => this.writes.deleteByFilter(uid, parseDeleteFilterBody(toBuffer(body))));
  }

  @Delete(':id')
  @HttpCode(202)
  @RequireAction('documents.delete')
  deleteOne(@Param('uid') uid: string, @Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<SummarizedTask> {
    return this.answer(reply, () => this.writes.deleteByIds(uid, [id]));
  }

  @Delete()
  @HttpCode(202)
  @RequireAction('documents.delete')
  deleteAll(@Param('uid') uid: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<SummarizedTask> {
    return this.answer(reply, () => this.writes.deleteAll(uid));
  }

  private add(
    uid: string,
    q: Record<string, unknown>,
    contentType: string | undefined,
    body: Buffer | undefined,
    replace: boolean,
    reply: FastifyReply,
  ): Promise<SummarizedTask> {
    const query = q ?? {};
    checkQueryKeys(query, ADD_QUERY_KEYS);
    return this.answer(reply, () =>
      this.writes.addDocuments({
        uid,
        contentType,
        body: toBuffer(body),
        primaryKey: queryString(query, 'primaryKey'),
        csvDelimiter: queryString(query, 'csvDelimiter'),
        replace,
      }),
    );
  }
}
