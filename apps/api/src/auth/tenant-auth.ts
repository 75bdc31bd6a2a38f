import type { AuthFailure } from '../observability/metrics.service';
import { errors } from '../errors/catalog';
import { MeiliError } from '../errors/meili-error';
import type { KnownKey } from './key-directory.service';
import { keyValue } from './key-value';
import { actionAllowed, indexAllowed } from './permissions';
import type { Principal } from './principal';
import { rulesAuthorize, rulesPatterns } from './search-rules';
import { readTenantToken, TenantTokenError, verifyTenantToken } from './tenant-token';

// The AuthGuard's handling of a tenant token on a `search` route (docs/api-compatibility.md, tenant
// tokens), in Meilisearch 1.50's order: decode and verify the token, find its API key, check the
// route's index against the token's rules then against the key's `indexes`, and last the key's
// `search` action and expiry. Only `search` routes take tenant tokens, as on Meilisearch: elsewhere
// the bearer value is only ever an API key.

/** A refusal, with the metrics reason the guard records it under. */
export class TenantRefusal extends Error {
  constructor(
    readonly reason: AuthFailure,
    readonly error: MeiliError,
  ) {
    super(error.message);
  }
}

export interface TenantAuthContext {
  readonly masterKey: string;
  /** The index of an `/indexes/{uid}/…` route; multi-search checks its queries' indexes itself. */
  readonly routeIndex: string | undefined;
  readonly lookupUid: (uid: string) => Promise<KnownKey | undefined>;
  readonly nowMs: number;
}

const refusal = (message: string, reason: AuthFailure = 'invalid_key'): TenantRefusal =>
  new TenantRefusal(reason, new MeiliError('invalid_api_key', message, 403, 'auth'));

/**
 * The principal of `token` when it is a valid tenant token; `undefined` when it is not shaped like
 * a JWT (the caller then tries it as an API key, as Meilisearch does). Throws TenantRefusal.
 */
export async function authenticateTenantToken(token: string, ctx: TenantAuthContext): Promise<Principal | undefined> {
  let decoded;
  try {
    decoded = readTenantToken(token);
    if (!decoded) return undefined;
    // The key value follows from the uid: a token of a deleted key still verifies, then finds no key.
    verifyTenantToken(decoded, keyValue(ctx.masterKey, decoded.claims.apiKeyUid), Math.floor(ctx.nowMs / 1000));
  } catch (err) {
    if (err instanceof TenantTokenError) throw refusal(err.message);
    throw err;
  }
  const { apiKeyUid, searchRules } = decoded.claims;
  const key = await ctx.lookupUid(apiKeyUid);
  if (!key) throw new TenantRefusal('invalid_key', errors.invalidApiKey());
  const index = ctx.routeIndex;
  if (index !== undefined) {
    if (!rulesAuthorize(searchRules, index)) {
      const allowed = rulesPatterns(searchRules).map((p) => JSON.stringify(p));
      throw refusal(`The provided tenant token cannot acces the index \`${index}\`, allowed indexes are [${allowed.join(', ')}].`, 'forbidden');
    }
    // The key's own patterns are not the token holder's business: Meilisearch does not list them.
    if (!indexAllowed(key.indexes, index)) throw refusal(`The API key used to generate this tenant token cannot acces the index \`${index}\`.`, 'forbidden');
  }
  const expired = key.expiresAt !== null && key.expiresAt <= ctx.nowMs;
  if (expired || !actionAllowed(key.actions, 'search')) throw new TenantRefusal('invalid_key', errors.invalidApiKey());
  return { kind: 'key', uid: key.uid, actions: key.actions, indexes: key.indexes, searchRules };
}

/** The index of an `/indexes/{uid}/…` route, the one Meilisearch checks a token's rules against. */
export function routeIndexOf(request: { routeOptions?: { url?: string }; params?: unknown }): string | undefined {
  if (!request.routeOptions?.url?.startsWith('/indexes/:uid')) return undefined;
  const uid = (request.params as Record<string, unknown> | undefined)?.uid;
  return typeof uid === 'string' ? uid : undefined;
}
