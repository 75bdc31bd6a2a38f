import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { LoadedConfig } from '@miroir/config';
import { errors } from '../errors/catalog';
import { LOADED_CONFIG } from '../infra/tokens';
import { MetricsService } from '../observability/metrics.service';
import { headerValue, parseAuthorization } from './bearer';
import { ADMIN_ROUTE, PUBLIC_ROUTE, REQUIRED_ACTION } from './decorators';
import { KeyDirectory } from './key-directory.service';
import { actionAllowed, EVERY_ACTION, indexAllowed, isKeysAction } from './permissions';
import { setPrincipal, type Principal } from './principal';
import { requestedIndexes } from './requested-indexes';
import { SecretMatcher } from './secret';
import { authenticateTenantToken, routeIndexOf, TenantRefusal } from './tenant-auth';

/**
 * The one global guard (docs/design.md#authentication-and-api-keys), default deny:
 *  - `@Public()`: open;
 *  - `@AdminOnly()` (`/_miroir/*`): the admin key, from `X-Admin-Key` or `Authorization: Bearer`
 *    (the master key when MIROIR_ADMIN_KEY is unset), else 401 `miroir_invalid_auth`;
 *  - every other route: open when no master key is configured (development only: production
 *    refuses to start without one); else `Authorization: Bearer <master key | API key>`. An API
 *    key must grant the route's `@RequireAction` (routes without one need `*`) on every index the
 *    request touches. Missing header 401 `missing_authorization_header`; unknown, expired or
 *    insufficient key 403 `invalid_api_key`, as Meilisearch answers. Search routes also take a
 *    tenant token (tenant-auth.ts), whose search rules ride on the principal for the search code.
 * Refusals happen before any handler runs, so a refused request never reaches a node.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly master: SecretMatcher;
  private readonly admin: SecretMatcher;
  /** Tenant tokens are signed with key values derived from it (key-value.ts). */
  private readonly masterKey?: string;

  constructor(
    private readonly reflector: Reflector,
    private readonly keys: KeyDirectory,
    private readonly metrics: MetricsService,
    @Inject(LOADED_CONFIG) loaded: LoadedConfig,
  ) {
    const { masterKey, adminKey } = loaded.secrets;
    this.master = new SecretMatcher(masterKey);
    this.admin = new SecretMatcher(adminKey ?? masterKey);
    this.masterKey = masterKey;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) {
      setPrincipal(request, { kind: 'open' });
      return true;
    }
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ROUTE, targets)) {
      setPrincipal(request, this.authenticateAdmin(request));
      return true;
    }
    const action = this.reflector.getAllAndOverride<string | undefined>(REQUIRED_ACTION, targets) ?? EVERY_ACTION;
    setPrincipal(request, await this.authenticateClient(request, action));
    return true;
  }

  private authenticateAdmin(request: FastifyRequest): Principal {
    if (!this.admin.configured) return { kind: 'open' };
    const explicit = headerValue(request.headers['x-admin-key']);
    const auth = parseAuthorization(request.headers.authorization);
    const presented = explicit ?? (auth.kind === 'bearer' ? auth.token : undefined);
    if (!this.admin.matches(presented)) throw this.refuse('admin', errors.invalidAuth());
    return { kind: 'admin' };
  }

  private async authenticateClient(request: FastifyRequest, action: string): Promise<Principal> {
    if (!this.master.configured) {
      // Meilisearch without a master key serves everything except key management.
      if (isKeysAction(action)) throw this.refuse('forbidden', errors.missingMasterKey());
      return { kind: 'open' };
    }
    const auth = parseAuthorization(request.headers.authorization);
    if (auth.kind === 'missing') throw this.refuse('missing_header', errors.missingAuthorizationHeader());
    if (this.master.matches(auth.token)) return { kind: 'master' };
    // The admin key is not a client key; refusing it here also keeps it from being looked up.
    if (auth.token === '' || this.admin.matches(auth.token)) throw this.refuse('invalid_key', errors.invalidApiKey());
    // Search routes also take tenant tokens (Meilisearch tries a JWT first, then the API key).
    if (action === 'search') {
      const tenant = await this.authenticateTenant(request, auth.token);
      if (tenant) return tenant;
    }

    const key = await this.keys.lookup(auth.token);
    if (!key || (key.expiresAt !== null && key.expiresAt <= Date.now())) throw this.refuse('invalid_key', errors.invalidApiKey());
    // Meilisearch checks the index before the action.
    if (!key.indexes.includes('*')) {
      for (const uid of requestedIndexes(request)) {
        if (!indexAllowed(key.indexes, uid)) throw this.refuse('forbidden', errors.apiKeyIndexForbidden(uid, key.indexes));
      }
    }
    if (!actionAllowed(key.actions, action)) throw this.refuse('forbidden', errors.invalidApiKey());
    return { kind: 'key', uid: key.uid, actions: key.actions, indexes: key.indexes };
  }

  private async authenticateTenant(request: FastifyRequest, token: string): Promise<Principal | undefined> {
    try {
      return await authenticateTenantToken(token, {
        masterKey: this.masterKey!,
        routeIndex: routeIndexOf(request),
        lookupUid: (uid) => this.keys.lookupUid(uid),
        nowMs: Date.now(),
      });
    } catch (err) {
      if (err instanceof TenantRefusal) throw this.refuse(err.reason, err.error);
      throw err;
    }
  }

  private refuse<E extends Error>(reason: Parameters<MetricsService['authFailure']>[0], error: E): E {
    this.metrics.authFailure(reason);
    return error;
  }
}
