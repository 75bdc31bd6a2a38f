// /keys: create, list, get (by uid or key), update name/description, delete. Only with a master key.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ACTIONS, type Action } from '../auth';
import { errors } from '../error-catalog';
import { SimError } from '../errors';
import { checkBodyKeys, checkQueryKeys, guard, isObject, jsonBody, qint, query, type Ctx } from '../http/request';
import type { KeyRecord } from '../model';

type KeyParams = { Params: { key: string } };
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INDEX_PATTERN_RE = /^[A-Za-z0-9_-]*\*?$/;

export function registerKeyRoutes(app: FastifyInstance, ctx: Ctx): void {
  const view = (k: KeyRecord): Record<string, unknown> => ({
    name: k.name,
    description: k.description,
    key: ctx.auth.keyValue(k.uid),
    uid: k.uid,
    actions: k.actions,
    indexes: k.indexes,
    expiresAt: k.expiresAt,
    createdAt: k.createdAt,
    updatedAt: k.updatedAt,
  });
  const keysGuard = (req: FastifyRequest, action: Action): void => {
    if (!ctx.auth.enabled) throw errors.missingMasterKey();
    guard(ctx, req, { action });
  };
  const find = (k: string): KeyRecord => {
    const key = ctx.auth.findKey(k);
    if (!key) throw errors.apiKeyNotFound(k);
    return key;
  };

  app.get('/keys', async (req) => {
    keysGuard(req, 'keys.get');
    const q = query(req);
    checkQueryKeys(q, ['offset', 'limit']);
    const offset = qint(q, 'offset', 'invalid_api_key_offset', 0);
    const limit = qint(q, 'limit', 'invalid_api_key_limit', 20);
    const all = [...ctx.store.keys.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
    return { results: all.slice(offset, offset + limit).map(view), offset, limit, total: all.length };
  });

  app.get<KeyParams>('/keys/:key', async (req) => {
    keysGuard(req, 'keys.get');
    return view(find(req.params.key));
  });

  app.post('/keys', async (req, reply) => {
    keysGuard(req, 'keys.create');
    const body = jsonBody(req);
    if (!isObject(body)) throw errors.invalidType('bad_request', '', 'an object', body);
    checkBodyKeys(body, ['description', 'name', 'uid', 'actions', 'indexes', 'expiresAt']);
    const optStr = (field: 'name' | 'description'): string | null => {
      const v = body[field];
      if (v === undefined || v === null) return null;
      if (typeof v !== 'string') throw errors.invalidType(`invalid_api_key_${field}`, `.${field}`, 'a string', v);
      return v;
    };
    const name = optStr('name');
    const description = optStr('description');
    let uid: string = randomUUID();
    if (body.uid !== undefined && body.uid !== null) {
      if (typeof body.uid !== 'string' || !UUID_RE.test(body.uid)) {
        throw errors.invalidValue('invalid_api_key_uid', '.uid', `invalid length: expected length 32 for simple format, found ${String(body.uid).length}`);
      }
      uid = body.uid.toLowerCase();
    }
    if (body.actions === undefined) throw new SimError('missing_api_key_actions', 'Missing field `actions`');
    if (!Array.isArray(body.actions)) throw errors.invalidType('invalid_api_key_actions', '.actions', 'an array', body.actions);
    body.actions.forEach((a, i) => {
      if (typeof a !== 'string' || !(ACTIONS as readonly string[]).includes(a)) {
        throw new SimError('invalid_api_key_actions', `Unknown value \`${String(a)}\` at \`.actions[${i}]\`: expected one of ${ACTIONS.map((x) => `\`${x}\``).join(', ')}`);
      }
    });
    if (body.indexes === undefined) throw new SimError('missing_api_key_indexes', 'Missing field `indexes`');
    if (!Array.isArray(body.indexes)) throw errors.invalidType('invalid_api_key_indexes', '.indexes', 'an array', body.indexes);
    body.indexes.forEach((x, i) => {
      if (typeof x !== 'string' || !INDEX_PATTERN_RE.test(x) || x === '') {
        throw errors.invalidValue('invalid_api_key_indexes', `.indexes[${i}]`, `\`${String(x)}\` is not a valid index uid pattern. Index uid patterns can be an integer or a string containing only alphanumeric characters, hyphens (-), underscores (_), and optionally end with a star (*).`);
      }
    });
    if (body.expiresAt === undefined) throw new SimError('missing_api_key_expires_at', 'Missing field `expiresAt`');
    let expiresAt: string | null = null;
    if (body.expiresAt !== null) {
      const t = typeof body.expiresAt === 'string' ? Date.parse(body.expiresAt) : NaN;
      if (Number.isNaN(t) || t <= Date.now()) {
        throw errors.invalidValue('invalid_api_key_expires_at', '.expiresAt', `\`${String(body.expiresAt)}\` is not a valid date. It should follow the RFC 3339 format to represents a date or datetime in the future or specified as a null value. e.g. 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS'.`);
      }
      expiresAt = new Date(t).toISOString();
    }
    if (ctx.store.keys.has(uid)) throw new SimError('api_key_already_exists', `\`uid\` field value \`${uid}\` is already an existing API key.`, 409);
    const now = new Date().toISOString();
    const key: KeyRecord = { uid, name, description, actions: body.actions as string[], indexes: body.indexes as string[], expiresAt, createdAt: now, updatedAt: now };
    await ctx.store.putKey(key);
    return reply.code(201).send(view(key));
  });

  app.patch<KeyParams>('/keys/:key', async (req) => {
    keysGuard(req, 'keys.update');
    const body = jsonBody(req);
    if (!isObject(body)) throw errors.invalidType('bad_request', '', 'an object', body);
    for (const f of ['uid', 'actions', 'indexes', 'expiresAt', 'createdAt', 'updatedAt', 'key']) {
      if (f in body) {
        const snake = f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
        throw new SimError(`immutable_api_key_${snake}`, `The \`${f}\` field cannot be modified for the given resource.`);
      }
    }
    checkBodyKeys(body, ['description', 'name']);
    const existing = find(req.params.key);
    const next: KeyRecord = { ...existing, updatedAt: new Date().toISOString() };
    for (const f of ['name', 'description'] as const) {
      const v = body[f];
      if (v === undefined) continue;
      if (v !== null && typeof v !== 'string') throw errors.invalidType(`invalid_api_key_${f}`, `.${f}`, 'a string', v);
      next[f] = v;
    }
    await ctx.store.putKey(next);
    return view(next);
  });

  app.delete<KeyParams>('/keys/:key', async (req, reply) => {
    keysGuard(req, 'keys.delete');
    const key = find(req.params.key);
    await ctx.store.deleteKey(key.uid);
    return reply.code(204).send();
  });
}
