// /indexes: list, create, get, update primary key, delete.
import type { FastifyInstance } from 'fastify';
import { errors } from '../error-catalog';
import { SimError } from '../errors';
import type { IndexState } from '../model';
import { checkBodyKeys, checkIndexUid, checkQueryKeys, getIndex, guard, isObject, jsonBody, qint, query, type Ctx } from '../http/request';

export function indexView(idx: IndexState): Record<string, unknown> {
  return { uid: idx.uid, createdAt: idx.createdAt, updatedAt: idx.updatedAt, primaryKey: idx.primaryKey };
}

function primaryKeyField(body: Record<string, unknown>): string | null {
  const pk = body.primaryKey;
  if (pk === undefined || pk === null) return null;
  if (typeof pk !== 'string') throw errors.invalidType('invalid_index_primary_key', '.primaryKey', 'a string', pk);
  return pk;
}

export function registerIndexRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/indexes', async (req) => {
    const principal = guard(ctx, req, { action: 'indexes.get' });
    const q = query(req);
    checkQueryKeys(q, ['offset', 'limit']);
    const offset = qint(q, 'offset', 'invalid_index_offset', 0);
    const limit = qint(q, 'limit', 'invalid_index_limit', 20);
    const visible = [...ctx.store.indexes.values()]
      .filter((i) => ctx.auth.canSeeIndex(principal, i.uid))
      .sort((a, b) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
    return { results: visible.slice(offset, offset + limit).map(indexView), offset, limit, total: visible.length };
  });

  app.post('/indexes', async (req, reply) => {
    const body = jsonBody(req);
    if (!isObject(body)) throw errors.invalidType('bad_request', '', 'an object', body);
    if (body.uid === undefined) {
      guard(ctx, req, { action: 'indexes.create' });
      throw new SimError('missing_index_uid', 'Missing field `uid`');
    }
    if (typeof body.uid !== 'string') throw errors.invalidType('invalid_index_uid', '.uid', 'a string', body.uid);
    guard(ctx, req, { action: 'indexes.create', indexes: [body.uid] });
    checkBodyKeys(body, ['uid', 'primaryKey']);
    let uid: string;
    try {
      uid = checkIndexUid(body.uid);
    } catch (err) {
      // In a body, deserr names the field.
      if (err instanceof SimError) throw new SimError(err.code, `Invalid value at \`.uid\`: ${err.message}`, err.status, err.type);
      throw err;
    }
    const primaryKey = primaryKeyField(body);
    const task = await ctx.store.enqueue(uid, 'indexCreation', { primaryKey }, { kind: 'createIndex', primaryKey });
    return reply.code(202).send(task);
  });

  app.get<{ Params: { indexUid: string } }>('/indexes/:indexUid', async (req) => {
    guard(ctx, req, { action: 'indexes.get', indexes: [req.params.indexUid] });
    return indexView(getIndex(ctx, req.params.indexUid));
  });

  app.patch<{ Params: { indexUid: string } }>('/indexes/:indexUid', async (req, reply) => {
    const uid = req.params.indexUid;
    guard(ctx, req, { action: 'indexes.update', indexes: [uid] });
    checkIndexUid(uid);
    const body = jsonBody(req);
    if (!isObject(body)) throw errors.invalidType('bad_request', '', 'an object', body);
    checkBodyKeys(body, ['primaryKey']);
    const primaryKey = primaryKeyField(body);
    const task = await ctx.store.enqueue(uid, 'indexUpdate', { primaryKey }, { kind: 'updateIndex', primaryKey });
    return reply.code(202).send(task);
  });

  app.delete<{ Params: { indexUid: string } }>('/indexes/:indexUid', async (req, reply) => {
    const uid = req.params.indexUid;
    guard(ctx, req, { action: 'indexes.delete', indexes: [uid] });
    checkIndexUid(uid);
    const task = await ctx.store.enqueue(uid, 'indexDeletion', { deletedDocuments: null }, { kind: 'deleteIndex' });
    return reply.code(202).send(task);
  });
}
