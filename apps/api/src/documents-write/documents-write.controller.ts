import { Body, Controller, Delete, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { SESSION_HEADER, SessionService } from '../affinity/session.service';
import { RequireAction } from '../auth/decorators';
import { toBuffer } from '../http/json-body';
import type { SummarizedTask } from '../tasks/task-registry.contract';
import { DocumentsWriteService, type WriteOutcome } from './documents-write.service';
import { checkQueryKeys, parseDeleteFilterBody, parseEditBody, parseIdBatch, queryString, querySkipCreation } from './write-request';

const ADD_QUERY_KEYS = ['primaryKey', 'csvDelimiter', 'customMetadata', 'skipCreation'];

/** The deletion and edit routes take only `customMetadata` (Meilisearch 1.50 refuses any other parameter there). */
function deletionMetadata(q: Record<string, unknown> | undefined): string | undefined {
  checkQueryKeys(q ?? {}, ['customMetadata']);
  return queryString(q ?? {}, 'customMetadata');
}

/** Shard-routed and broadcast document writes (docs/design.md#write-path, docs/api-compatibility.md). Every route answers 202 with a summarized task. */
@Controller('indexes/:uid/documents')
export class DocumentsWriteController {
  constructor(
    private readonly writes: DocumentsWriteService,
    private readonly sessions: SessionService,
  ) {}

  /**
   * Answers 202 with the task; with X-Miroir-Session, remembers the write for read-your-writes
   * (docs/design.md#sessions-tenants-and-idempotency). The session id is validated before the write runs.
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
  deleteBatch(
    @Param('uid') uid: string,
    @Query() q: Record<string, unknown>,
    @Body() body: Buffer | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SummarizedTask> {
    const customMetadata = deletionMetadata(q);
    return this.answer(reply, () => this.writes.deleteByIds(uid, parseIdBatch(toBuffer(body)), customMetadata));
  }

  @Post('delete')
  @HttpCode(202)
  @RequireAction('documents.delete')
  deleteByFilter(
    @Param('uid') uid: string,
    @Query() q: Record<string, unknown>,
    @Body() body: Buffer | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SummarizedTask> {
    const customMetadata = deletionMetadata(q);
    return this.answer(reply, () => this.writes.deleteByFilter(uid, parseDeleteFilterBody(toBuffer(body)), customMetadata));
  }

  /** Edit by function: only a key with every action may run one, as on Meilisearch 1.50. */
  @Post('edit')
  @HttpCode(202)
  edit(
    @Param('uid') uid: string,
    @Query() q: Record<string, unknown>,
    @Body() body: Buffer | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SummarizedTask> {
    const customMetadata = deletionMetadata(q);
    return this.answer(reply, () => this.writes.editDocuments(uid, parseEditBody(toBuffer(body)), customMetadata));
  }

  @Delete(':id')
  @HttpCode(202)
  @RequireAction('documents.delete')
  deleteOne(
    @Param('uid') uid: string,
    @Param('id') id: string,
    @Query() q: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SummarizedTask> {
    const customMetadata = deletionMetadata(q);
    return this.answer(reply, () => this.writes.deleteByIds(uid, [id], customMetadata));
  }

  @Delete()
  @HttpCode(202)
  @RequireAction('documents.delete')
  deleteAll(@Param('uid') uid: string, @Query() q: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply): Promise<SummarizedTask> {
    const customMetadata = deletionMetadata(q);
    return this.answer(reply, () => this.writes.deleteAll(uid, customMetadata));
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
        skipCreation: querySkipCreation(query),
        customMetadata: queryString(query, 'customMetadata'),
        replace,
      }),
    );
  }
}
