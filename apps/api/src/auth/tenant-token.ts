import { createSecretKey } from 'node:crypto';
import * as jwt from 'jsonwebtoken';
import { Base64Error, decodeBase64Url } from './jwt-base64';
import { readClaims, readHeader, type TokenClaims, type TokenHeader } from './jwt-claims';
import { JsonTextError } from './jwt-json';

// Tenant tokens (docs/api-compatibility.md, tenant tokens): JWTs signed with HS256/384/512 under the
// value of an API key, carrying `apiKeyUid`, `searchRules` and an optional `exp`. They are checked
// in Meilisearch 1.50's order and refused with its words:
//  1. the header and claims are decoded without checking the signature, to learn `apiKeyUid`;
//  2. the key value of that uid (derived from the master key: it need not exist) verifies the
//     algorithm and the signature, then an `aud` claim is refused, then `exp` (seconds) is checked.
// The signature itself is checked by `jsonwebtoken` (constant-time HMAC comparison, algorithm
// allow-list); the decoding before it is strict so that what Meilisearch refuses is refused here too.

/** A refusal of a tenant token; the message is Meilisearch's (code `invalid_api_key`, 403). */
export class TenantTokenError extends Error {}

export interface TenantToken {
  readonly raw: string;
  readonly header: TokenHeader;
  readonly claims: TokenClaims;
  readonly signature: string;
}

const HMAC_ALGORITHMS: readonly jwt.Algorithm[] = ['HS256', 'HS384', 'HS512'];

const couldNotDecode = (reason: string): TenantTokenError => new TenantTokenError(`Could not decode tenant token, ${reason}.`);

function asTokenError(err: unknown): unknown {
  if (err instanceof Base64Error) return couldNotDecode(err.message);
  if (err instanceof JsonTextError) return couldNotDecode(`JSON error: ${err.message}`);
  return err;
}

/**
 * The three parts as Meilisearch's JWT library splits them: the signature after the last dot, the
 * claims before it, the header is the rest. Fewer than two dots: not a JWT.
 */
function split(token: string): [string, string, string] | undefined {
  const last = token.lastIndexOf('.');
  if (last < 0) return undefined;
  const middle = token.lastIndexOf('.', last - 1);
  if (middle < 0 || last === 0) return undefined;
  return [token.slice(0, middle), token.slice(middle + 1, last), token.slice(last + 1)];
}

/**
 * Step 1: the token's header and claims, unverified. `undefined` when the bearer value is not
 * shaped like a JWT at all: Meilisearch then tries it as an API key. Throws TenantTokenError for a
 * JWT it cannot decode.
 */
export function readTenantToken(token: string): TenantToken | undefined {
  const parts = split(token);
  if (!parts) return undefined;
  try {
    const header = readHeader(decodeBase64Url(parts[0]));
    const claims = readClaims(decodeBase64Url(parts[1]));
    return { raw: token, header, claims, signature: parts[2] };
  } catch (err) {
    throw asTokenError(err);
  }
}

/** Step 2: algorithm, signature under `keyValue`, audience and expiry (`nowSeconds`: Unix seconds). */
export function verifyTenantToken(token: TenantToken, keyValue: string, nowSeconds: number): void {
  const alg = token.header.alg as jwt.Algorithm;
  if (!HMAC_ALGORITHMS.includes(alg)) throw couldNotDecode('InvalidAlgorithm');
  try {
    decodeBase64Url(token.signature);
  } catch (err) {
    throw asTokenError(err);
  }
  try {
    // Expiry is Meilisearch's own check below (its bound and message), `nbf` it ignores.
    jwt.verify(token.raw, createSecretKey(Buffer.from(keyValue, 'utf8')), { algorithms: [alg], ignoreExpiration: true, ignoreNotBefore: true });
  } catch {
    throw couldNotDecode('InvalidSignature');
  }
  if (token.claims.hasAudience) throw couldNotDecode('InvalidAudience');
  const exp = token.claims.exp;
  if (exp !== null && nowSeconds > exp) {
    throw new TenantTokenError(`Tenant token expired. Was valid up to \`${exp}\` and we're now \`${nowSeconds}\`.`);
  }
}
