import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { LoadedConfig } from '@miroir/config';
import { errors } from '../errors/catalog';
import { toBuffer } from '../http/json-body';
import { LOADED_CONFIG } from '../infra/tokens';
import { IdempotencyService } from './idempotency.service';
import { requestFingerprint, scopedKey } from './request-fingerprint';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

// POST routes that read: an Idempotency-Key on them is meaningless and ignored.
const READ_ROUTES = [/\/search$/, /\/multi-search$/, /\/documents\/fetch$/, /\/explain$/];

/**
 * Applies `Idempotency-Key` to every write route: a repeat with the same request replays the first
 * answer (same taskUid, nodes untouched), a different request with the key gets 409
 * `miroir_idempotency_key_reused`; a request that failed frees its key.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly idempotency: IdempotencyService,
    @Inject(LOADED_CONFIG) private readonly loaded: LoadedConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const rawKey = req.headers[IDEMPOTENCY_HEADER];
    const path = req.url.split('?')[0]!;
    if (rawKey === undefined || req.method === 'GET' || path.startsWith('/_miroir') || READ_ROUTES.some((r) => r.test(path))) {
      return next.handle();
    }
    // Nest sets the status after the handler emits, so read the route's declared code instead.
    const status = (Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) as number | undefined) ?? 200;
    return from(this.run(req, http.getResponse<FastifyReply>(), Array.isArray(rawKey) ? rawKey[0]! : rawKey, path, status, next));
  }

  private async run(req: FastifyRequest, reply: FastifyReply, rawKey: string, path: string, status: number, next: CallHandler): Promise<unknown> {
    if (!KEY_PATTERN.test(rawKey)) {
      throw errors.badRequest('The Idempotency-Key header must be 1 to 255 printable ASCII characters.');
    }
    const key = scopedKey(rawKey, req.headers.authorization);
    const fingerprint = requestFingerprint({
      method: req.method,
      path,
      query: (req.query ?? {}) as Record<string, unknown>,
      contentType: req.headers['content-type'],
      body: toBuffer(req.body),
    });
    const reservation = await this.idempotency.reserve(key, fingerprint, this.loaded.config.server.request_timeout_ms);
    if (reservation.kind === 'replay') {
      void reply.header('Idempotent-Replayed', 'true');
      return reservation.response;
    }
    try {
      const response = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.idempotency.complete(key, status, response);
      return response;
    } catch (err) {
      await this.idempotency.release(key).catch(() => undefined);
      throw err;
    }
  }
}
