// Edge helpers shared by the route modules: auth guard, JSON body parsing and query parameters,
// each failing with Meilisearch's error codes.
import type { FastifyRequest } from 'fastify';
import type { Auth, Principal, Requirement } from '../auth';
import { errors } from '../error-catalog';
import { SimError } from '../errors';
import type { IndexState } from '../model';
import type { Store } from '../store';

export interface Ctx {
  store: Store;
  auth: Auth;
  /** Experimental features (routes/experimental.ts), for routes they gate. */
  features?: Readonly<Record<string, boolean>>;
}

export function guard(ctx: Ctx, req: FastifyRequest, requirement: Requirement): Principal {
  const principal = ctx.auth.authenticate(req.headers.authorization);
  ctx.auth.authorize(principal, requirement);
  return principal;
}

const INDEX_UID_RE = /^[A-Za-z0-9_-]+$/;

export function checkIndexUid(uid: string): string {
  if (!INDEX_UID_RE.test(uid) || Buffer.byteLength(uid) > 512) throw errors.invalidIndexUid(uid);
  return uid;
}

export function getIndex(ctx: Ctx, uid: string): IndexState {
  checkIndexUid(uid);
  const idx = ctx.store.indexes.get(uid);
  if (!idx) throw errors.indexNotFound(uid);
  return idx;
}

/** The raw body as the catch-all content-type parser left it. */
export function rawBody(req: FastifyRequest): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

/**
 * Parses a JSON body. `optional` bodies may be empty (→ undefined); otherwise an empty body is
 * missing_payload. Content-Type must be application/json when a body is present.
 */
export function jsonBody(req: FastifyRequest, optional = false): unknown {
  const buf = rawBody(req);
  if (buf.length === 0 || buf.toString('utf8').trim() === '') {
    if (optional) return undefined;
    if (!req.headers['content-type']) throw errors.missingContentType(['application/json']);
    throw errors.missingPayload('json');
  }
  const ct = req.headers['content-type'];
  if (!ct) throw errors.missingContentType(['application/json']);
  const mime = ct.split(';')[0]!.trim().toLowerCase();
  if (mime !== 'application/json') throw errors.invalidContentType(ct, ['application/json']);
  try {
    return JSON.parse(buf.toString('utf8')) as unknown;
  } catch (err) {
    // actix's JSON extractor words it without the backticks the document routes use.
    throw new SimError('malformed_payload', `The json payload provided is malformed. \`${(err as Error).message}\`.`);
  }
}

export type Query = Record<string, string | string[] | undefined>;

export function query(req: FastifyRequest): Query {
  return (req.query ?? {}) as Query;
}

/** A single-valued query parameter (the last one wins when repeated). */
export function qstr(q: Query, name: string): string | undefined {
  const v = q[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

export function qint(q: Query, name: string, code: string, def: number): number {
  const raw = qstr(q, name);
  if (raw === undefined) return def;
  if (!/^\d+$/.test(raw.trim())) {
    throw new SimError(code, `Invalid value in parameter \`${name}\`: could not parse \`${raw}\` as a positive integer`);
  }
  return Number(raw.trim());
}

export function qbool(q: Query, name: string, code: string): boolean | undefined {
  const raw = qstr(q, name);
  if (raw === undefined) return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new SimError(code, `Invalid value in parameter \`${name}\`: could not parse \`${raw}\` as a boolean, expected either \`true\` or \`false\``);
}

/** Rejects query parameters the route does not know, as deserr does (bad_request). */
export function checkQueryKeys(q: Query, allowed: readonly string[]): void {
  for (const k of Object.keys(q)) {
    if (!allowed.includes(k)) {
      throw new SimError('bad_request', `Unknown parameter \`${k}\`: expected one of ${allowed.map((a) => `\`${a}\``).join(', ')}`);
    }
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** deserr-style unknown-field check for JSON bodies. */
export function checkBodyKeys(body: Record<string, unknown>, allowed: readonly string[], path = ''): void {
  for (const k of Object.keys(body)) if (!allowed.includes(k)) throw errors.unknownField(k, allowed, path);
}
