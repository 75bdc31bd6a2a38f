import { ArgumentsHost, Catch, HttpException, Inject, NotFoundException, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '@miroir/config';
import type { RouteTable } from '../http/route-table';
import { LOGGER } from '../infra/tokens';
import { errors } from './catalog';
import { isDatabaseUnavailable } from './database-errors';
import { MeiliError } from './meili-error';

interface FastifyErrorLike {
  code?: string;
  statusCode?: number;
  message?: string;
}

/**
 * Every error leaves in Meilisearch's shape. Known user errors keep their 4xx; framework errors
 * (body too large, bad media type, unknown route) are mapped to Meilisearch's codes; anything else
 * is a bug: logged with its stack, answered as a generic `internal` error without details.
 */
@Catch()
export class MeiliExceptionFilter implements ExceptionFilter {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly bodyLimit: number,
    private readonly routes?: RouteTable,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    if (isRouterMiss(exception)) {
      // As Meilisearch: an unknown path is 404, a known path with another method 405, both with
      // an empty body (handlers never throw Nest's NotFoundException: they throw MeiliErrors).
      void reply.status(this.routes?.knowsPath(request.url) ? 405 : 404).send();
      return;
    }
    const err = this.toMeiliError(exception, request);
    if (err.code === 'miroir_database_unavailable') {
      this.logger.warn({ reqId: request.id, err: (exception as Error)?.message, route: request.routeOptions?.url }, 'database unavailable');
    } else if (err.status >= 500 && err.code === 'internal') {
      this.logger.error({ reqId: request.id, err: exception, route: request.routeOptions?.url }, 'unhandled error');
    }
    void reply.status(err.status).headers(err.headers).send(err.toBody());
  }

  private toMeiliError(exception: unknown, request: FastifyRequest): MeiliError {
    if (exception instanceof MeiliError) return exception;
    const fe = exception as FastifyErrorLike;
    switch (fe?.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return errors.payloadTooLarge(this.bodyLimit);
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return errors.invalidContentType(String(request.headers['content-type'] ?? ''));
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return errors.missingPayload('json');
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return errors.badRequest('The Content-Length header does not match the body.');
      default:
        break;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      // Nest re-throws Fastify's body-parsing errors as plain HttpExceptions (code lost): map by status.
      if (status === 413) return errors.payloadTooLarge(this.bodyLimit);
      if (status === 415) return errors.invalidContentType(String(request.headers['content-type'] ?? ''));
      if (status < 500) return errors.badRequest(exception.message);
    }
    if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      return new MeiliError('bad_request', fe.message ?? 'Bad Request', fe.statusCode);
    }
    if (isDatabaseUnavailable(exception)) return errors.databaseUnavailable();
    return errors.internal();
  }
}

/** Nest's Fastify adapter answers a request no route matches by throwing NotFoundException. */
function isRouterMiss(exception: unknown): boolean {
  return exception instanceof NotFoundException;
}
