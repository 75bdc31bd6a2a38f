// /experimental-features, and the one experimental write the dev node cannot run (edit by function).
import type { FastifyInstance } from 'fastify';
import { SimError } from '../errors';
import { errors } from '../error-catalog';
import { checkBodyKeys, checkIndexUid, checkQueryKeys, guard, isObject, jsonBody, query, type Ctx } from '../http/request';

/** Meilisearch 1.50's runtime-toggled features, all off on a new instance. */
const FEATURES = [
  'metrics',
  'logsRoute',
  'editDocumentsByFunction',
  'containsFilter',
  'dynamicSearchRules',
  'network',
  'getTaskDocumentsRoute',
  'taskQueueCompactionRoute',
  'compositeEmbedders',
  'chatCompletions',
  'multimodal',
  'foreignKeys',
  'disableDocumentsFetchQueue',
  'legacySearch',
  'renderRoute',
] as const;

export function registerExperimentalRoutes(app: FastifyInstance, ctx: Ctx): void {
  // Kept in memory: a restarted dev node starts with every feature off (a real node keeps them).
  const features: Record<string, boolean> = Object.fromEntries(FEATURES.map((f) => [f, false]));
  ctx.features = features;

  app.get('/experimental-features', async (req) => {
    guard(ctx, req, { action: 'experimental.get' });
    return { ...features };
  });

  app.patch('/experimental-features', async (req) => {
    guard(ctx, req, { action: 'experimental.update' });
    const body = jsonBody(req);
    if (!isObject(body)) throw new SimError('bad_request', 'Invalid value type: expected an object');
    for (const [k, v] of Object.entries(body)) {
      if (!(FEATURES as readonly string[]).includes(k)) {
        throw new SimError('bad_request', `Unknown field \`${k}\`: expected one of ${FEATURES.map((f) => `\`${f}\``).join(', ')}`);
      }
      if (v !== null && typeof v !== 'boolean') throw new SimError('bad_request', `Invalid value type at \`.${k}\`: expected a boolean`);
      if (typeof v === 'boolean') features[k] = v;
    }
    return { ...features };
  });

  // Functions are Rhai scripts: the dev node has no Rhai engine, so once the body and the feature
  // pass Meilisearch's first checks it refuses the edit rather than pretend (docs/meili-sim.md).
  app.post<{ Params: { indexUid: string } }>('/indexes/:indexUid/documents/edit', async (req) => {
    guard(ctx, req, { action: '*', indexes: [req.params.indexUid] });
    checkIndexUid(req.params.indexUid);
    checkQueryKeys(query(req), ['customMetadata']);
    const body = jsonBody(req);
    if (!isObject(body)) throw new SimError('bad_request', 'Invalid value type: expected an object');
    checkBodyKeys(body, ['filter', 'context', 'function']);
    if (!('function' in body)) throw new SimError('missing_document_edition_function', 'Missing field `function`');
    if (typeof body.function !== 'string') throw errors.invalidType('invalid_document_edition_function_filter', '.function', 'a string', body.function);
    if (!features.editDocumentsByFunction) {
      throw new SimError(
        'feature_not_enabled',
        'Using the documents edit route requires enabling the `edit documents by function` experimental feature. See https://github.com/orgs/meilisearch/discussions/762',
      );
    }
    throw new SimError('feature_not_enabled', 'The dev node cannot run document edition functions (Rhai scripts): use real Meilisearch nodes for `/documents/edit`.');
  });
}
