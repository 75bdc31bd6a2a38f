// /indexes/{uid}/documents: add/replace (POST), add/update (PUT), list (GET), fetch (POST /fetch),
// get one, delete one, delete-batch, delete by filter, delete all.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkFilterSyntax, compileDocumentFilter } from '../documents/filter';
import { parseFieldsParam, selectFields } from '../documents/fields';
import { parseDocuments, payloadFormat } from '../documents/payload';
import { errors } from '../error-catalog';
import { SimError } from '../errors';
import { checkBodyKeys, checkIndexUid, checkQueryKeys, getIndex, guard, isObject, jsonBody, qbool, qint, qstr, query, rawBody, type Ctx } from '../http/request';
import type { IndexState } from '../model';
import type { Doc } from '../search/types';

type IndexParams = { Params: { indexUid: string } };
type DocParams = { Params: { indexUid: string; documentId: string } };

interface BrowseQuery {
  offset: number;
  limit: number;
  fields: string[] | null;
  filter: unknown;
  ids: string[] | null;
}

function browse(idx: IndexState, q: BrowseQuery): { results: Doc[]; offset: number; limit: number; total: number } {
  const pred = compileDocumentFilter(q.filter, idx.settings.filterableAttributes);
  const idSet = q.ids ? new Set(q.ids) : null;
  const results: Doc[] = [];
  let total = 0;
  // Internal (insertion) order: stable across calls, so offset/limit pages never overlap.
  for (const [id, doc] of idx.docs) {
    if (idSet && !idSet.has(id)) continue;
    if (pred && !pred(doc)) continue;
    if (total >= q.offset && results.length < q.limit) results.push(selectFields(doc, q.fields));
    total++;
  }
  return { results, offset: q.offset, limit: q.limit, total };
}

function idString(v: unknown, path: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  throw errors.invalidType('invalid_document_ids', path, 'a string or an integer', v);
}

export function registerDocumentRoutes(app: FastifyInstance, ctx: Ctx): void {
  const addDocuments = (method: 'replace' | 'update') => async (req: FastifyRequest<IndexParams>, reply: FastifyReply) => {
    const uid = req.params.indexUid;
    guard(ctx, req, { action: 'documents.add', indexes: [uid] });
    checkIndexUid(uid);
    const q = query(req);
    checkQueryKeys(q, ['primaryKey', 'csvDelimiter', 'customMetadata', 'skipCreation']);
    const primaryKey = qstr(q, 'primaryKey') ?? null;
    const skip = qstr(q, 'skipCreation');
    if (skip !== undefined && skip !== 'true' && skip !== 'false') {
      throw new SimError('invalid_skip_creation', `skipCreation must be either \`true\` or \`false\`. Found: \`${skip}\``);
    }
    const format = payloadFormat(req.headers['content-type']);
    const delimiter = qstr(q, 'csvDelimiter');
    if (delimiter !== undefined) {
      if (format !== 'csv') {
        throw new SimError('invalid_document_csv_delimiter', 'The Content-Type `' + String(req.headers['content-type']) + '` does not support the use of a csv delimiter. The csv delimiter can only be used with the Content-Type `text/csv`.', 415);
      }
      if (delimiter.length !== 1 || delimiter.charCodeAt(0) > 127) {
        throw new SimError('invalid_document_csv_delimiter', `Invalid value in parameter \`csvDelimiter\`: \`${delimiter}\` is not a valid separator. It must be a single ASCII character.`);
      }
    }
    const documents = parseDocuments(rawBody(req), format, delimiter ?? ',');
    const task = await ctx.store.enqueue(
      uid,
      'documentAdditionOrUpdate',
      { receivedDocuments: documents.length, indexedDocuments: null },
      { kind: 'documents', method, documents, primaryKey, ...(skip === 'true' ? { skipCreation: true } : {}) },
    );
    return reply.code(202).send(task);
  };
  app.post('/indexes/:indexUid/documents', addDocuments('replace'));
  app.put('/indexes/:indexUid/documents', addDocuments('update'));

  app.get<IndexParams>('/indexes/:indexUid/documents', async (req) => {
    guard(ctx, req, { action: 'documents.get', indexes: [req.params.indexUid] });
    const q = query(req);
    checkQueryKeys(q, ['offset', 'limit', 'fields', 'filter', 'ids', 'retrieveVectors', 'sort']);
    const offset = qint(q, 'offset', 'invalid_document_offset', 0);
    const limit = qint(q, 'limit', 'invalid_document_limit', 20);
    qbool(q, 'retrieveVectors', 'invalid_document_retrieve_vectors');
    const idsRaw = qstr(q, 'ids');
    const idx = getIndex(ctx, req.params.indexUid);
    return browse(idx, {
      offset,
      limit,
      fields: parseFieldsParam(qstr(q, 'fields')),
      filter: qstr(q, 'filter'),
      ids: idsRaw === undefined ? null : idsRaw.split(',').map((s) => s.trim()).filter((s) => s !== ''),
    });
  });

  app.post<IndexParams>('/indexes/:indexUid/documents/fetch', async (req) => {
    guard(ctx, req, { action: 'documents.get', indexes: [req.params.indexUid] });
    const body = jsonBody(req, true) ?? {};
    if (!isObject(body)) throw errors.invalidType('bad_request', '', 'an object', body);
    checkBodyKeys(body, ['offset', 'limit', 'fields', 'retrieveVectors', 'ids', 'filter', 'sort']);
    const nat = (name: string, code: string, def: number): number => {
      const v = body[name];
      if (v === undefined) return def;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw errors.invalidType(code, `.${name}`, 'a positive integer', v);
      return v;
    };
    const offset = nat('offset', 'invalid_document_offset', 0);
    const limit = nat('limit', 'invalid_document_limit', 20);
    let fields: string[] | null = null;
    if (body.fields !== undefined && body.fields !== null) {
      if (!Array.isArray(body.fields) || body.fields.some((f) => typeof f !== 'string')) {
        throw errors.invalidType('invalid_document_fields', '.fields', 'an array of strings', body.fields);
      }
      fields = (body.fields as string[]).includes('*') ? null : (body.fields as string[]);
    }
    let ids: string[] | null = null;
    if (body.ids !== undefined && body.ids !== null) {
      if (!Array.isArray(body.ids)) throw errors.invalidType('invalid_document_ids', '.ids', 'an array', body.ids);
      ids = body.ids.map((v, i) => idString(v, `.ids[${i}]`));
    }
    const filter = body.filter;
    if (filter !== undefined && filter !== null && typeof filter !== 'string' && !Array.isArray(filter)) {
      throw errors.invalidType('invalid_document_filter', '.filter', 'a string or an array', filter);
    }
    const idx = getIndex(ctx, req.params.indexUid);
    return browse(idx, { offset, limit, fields, filter, ids });
  });

  // actix matches `/documents/fetch` (POST-only, like edit, delete, delete-batch) before
  // `/documents/{id}` whatever the method: GET or DELETE of such a path is 405, not a document.
  const POST_ONLY = new Set(['fetch', 'edit', 'delete', 'delete-batch']);

  app.get<DocParams>('/indexes/:indexUid/documents/:documentId', async (req, reply) => {
    if (POST_ONLY.has(req.params.documentId)) return reply.code(405).send();
    guard(ctx, req, { action: 'documents.get', indexes: [req.params.indexUid] });
    const q = query(req);
    checkQueryKeys(q, ['fields', 'retrieveVectors']);
    qbool(q, 'retrieveVectors', 'invalid_document_retrieve_vectors');
    const idx = getIndex(ctx, req.params.indexUid);
    const doc = idx.docs.get(req.params.documentId);
    if (!doc) throw errors.documentNotFound(req.params.documentId);
    return selectFields(doc, parseFieldsParam(qstr(q, 'fields')));
  });

  app.delete<DocParams>('/indexes/:indexUid/documents/:documentId', async (req, reply) => {
    if (POST_ONLY.has(req.params.documentId)) return reply.code(405).send();
    const uid = req.params.indexUid;
    guard(ctx, req, { action: 'documents.delete', indexes: [uid] });
    checkIndexUid(uid);
    const id = req.params.documentId;
    const task = await ctx.store.enqueue(uid, 'documentDeletion', { providedIds: 1, deletedDocuments: null, originalFilter: null }, { kind: 'deleteIds', ids: [id] });
    return reply.code(202).send(task);
  });

  app.post<IndexParams>('/indexes/:indexUid/documents/delete-batch', async (req, reply) => {
    const uid = req.params.indexUid;
    guard(ctx, req, { action: 'documents.delete', indexes: [uid] });
    checkIndexUid(uid);
    const body = jsonBody(req);
    if (!Array.isArray(body)) {
      // This route reads its body with serde_json, not deserr: its own wording and end position.
      const end = rawBody(req).toString('utf8').trimEnd().split('\n');
      const at = typeof body === 'object' && body !== null ? 'line 1 column 0' : `line ${end.length} column ${end[end.length - 1]!.length}`;
      throw new SimError('bad_request', `Json deserialize error: invalid type: ${serdeTypeName(body)}, expected a sequence at ${at}`);
    }
    const ids = body.map((v, i) => idString(v, `[${i}]`));
    const task = await ctx.store.enqueue(uid, 'documentDeletion', { providedIds: ids.length, deletedDocuments: null, originalFilter: null }, { kind: 'deleteIds', ids });
    return reply.code(202).send(task);
  });

  app.post<IndexParams>('/indexes/:indexUid/documents/delete', async (req, reply) => {
    const uid = req.params.indexUid;
    guard(ctx, req, { action: 'documents.delete', indexes: [uid] });
    checkIndexUid(uid);
    const body = jsonBody(req);
    if (!isObject(body)) throw errors.invalidType('bad_request', '', 'an object', body);
    checkBodyKeys(body, ['filter']);
    const filter = body.filter;
    if (filter === undefined) throw new SimError('missing_document_filter', 'Missing field `filter`');
    if (typeof filter !== 'string' && !Array.isArray(filter)) {
      throw new SimError('invalid_document_filter', `Invalid syntax for the filter parameter: \`expected String, Array, found: ${JSON.stringify(filter)}\`.`);
    }
    checkFilterSyntax(filter);
    const task = await ctx.store.enqueue(
      uid,
      'documentDeletion',
      { providedIds: 0, deletedDocuments: null, originalFilter: JSON.stringify(filter) },
      { kind: 'deleteFilter', filter },
    );
    return reply.code(202).send(task);
  });

  app.delete<IndexParams>('/indexes/:indexUid/documents', async (req, reply) => {
    const uid = req.params.indexUid;
    guard(ctx, req, { action: 'documents.delete', indexes: [uid] });
    checkIndexUid(uid);
    const task = await ctx.store.enqueue(uid, 'documentDeletion', { deletedDocuments: null }, { kind: 'clear' });
    return reply.code(202).send(task);
  });
}

/** serde_json's name for a JSON value in "invalid type" messages. */
function serdeTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return 'map';
  if (typeof v === 'string') return `string ${JSON.stringify(v)}`;
  if (typeof v === 'number') return Number.isInteger(v) ? `integer \`${v}\`` : `floating point \`${v}\``;
  return `boolean \`${String(v)}\``;
}
