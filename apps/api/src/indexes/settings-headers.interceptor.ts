import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, switchMap, type Observable } from 'rxjs';
import { errors } from '../errors/catalog';
import { MIN_SETTINGS_VERSION_HEADER, SettingsVersionService } from './settings-version.service';

/**
 * docs/settings-and-indexes.md headers on every `/indexes/:uid/…` route, whoever owns it: refuses a request whose
 * X-Miroir-Min-Settings-Version the index has not reached (503 miroir_settings_version_stale), and
 * adds X-Miroir-Settings-Version / X-Miroir-Settings-Inconsistent to the response. Routes that
 * name their indexes elsewhere (multi-search) call SettingsVersionService themselves.
 */
@Injectable()
export class SettingsHeadersInterceptor implements NestInterceptor {
  constructor(private readonly versions: SettingsVersionService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const params = (request.params ?? {}) as Record<string, unknown>;
    const uid = params.uid ?? params.indexUid;
    if (typeof uid !== 'string') return next.handle();
    const reply = http.getResponse<FastifyReply>();
    return from(this.prepare(uid, request, reply)).pipe(switchMap(() => next.handle()));
  }

  private async prepare(uid: string, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const raw = request.headers[MIN_SETTINGS_VERSION_HEADER];
    if (raw !== undefined) {
      const text = Array.isArray(raw) ? raw[0] : raw;
      if (text === undefined || !/^\d{1,9}$/.test(text.trim())) {
        throw errors.badRequest(`Invalid value in header \`X-Miroir-Min-Settings-Version\`: expected a non-negative integer, found \`${String(text)}\`.`);
      }
      await this.versions.assertAtLeast(uid, Number(text.trim()));
    }
    void reply.headers(await this.versions.headersFor(uid));
  }
}
