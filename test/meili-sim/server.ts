// Assembles the node: opens the store (replaying the WAL), builds the Fastify app with a raw-body
// parser (so every parse error is ours to word), maps every error to Meilisearch's shape, and
// registers the route groups.
import Router, { type HTTPMethod } from 'find-my-way';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { Auth } from './auth';
import type { NodeConfig } from './config';
import { ACCEPTED_DOCUMENT_TYPES, errors } from './error-catalog';
import { SimError } from './errors';
import type { Ctx } from './http/request';
import { registerBatchRoutes } from './routes/batches';
import { registerDocumentRoutes } from './routes/documents';
import { registerExperimentalRoutes } from './routes/experimental';
import { registerFacetSimilarRoutes } from './routes/facet-similar';
import { registerIndexRoutes } from './routes/indexes';
import { registerKeyRoutes } from './routes/keys';
import { registerMiscRoutes } from './routes/misc';
import { registerSearchRoutes } from './routes/search';
import { registerSettingsRoutes } from './routes/settings';
import { registerSimRoutes, SimControls } from './routes/sim';
import { registerTaskRoutes } from './routes/tasks';
import { Store } from './store';

export interface RunningNode {
  app: FastifyInstance;
  store: Store;
  url: string;
  close(): Promise<void>;
}

function toSimError(err: unknown, payloadLimit: number, url: string, contentType: string | undefined): SimError {
  if (err instanceof SimError) return err;
  const fe = err as Partial<FastifyError>;
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return errors.payloadTooLarge(payloadLimit);
  // A Content-Type header that is present but empty never reaches the routes' own checks.
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || fe.code === 'FST_ERR_CTP_EMPTY_TYPE') {
    const accepted = /\/documents(\?|$)/.test(url) ? ACCEPTED_DOCUMENT_TYPES : ['application/json'];
    return errors.invalidContentType(contentType ?? '', accepted);
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new SimError('bad_request', fe.message ?? 'Bad request', 400);
  }
  return errors.internal(err instanceof Error ? err.message : String(err));
}

export async function startNode(config: NodeConfig): Promise<RunningNode> {
  const store = await Store.open(config.dbPath, config.compactAfterBytes);
  const auth = new Auth(config.masterKey, store);
  await auth.ensureDefaultKeys();
  const ctx: Ctx = { store, auth };

  const app = Fastify({
    logger: false,
    bodyLimit: config.payloadLimitBytes,
    forceCloseConnections: true,
    routerOptions: { maxParamLength: 4096 },
    return503OnClosing: true,
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err, req, reply) => {
    const e = toSimError(err, config.payloadLimitBytes, req.url, req.headers['content-type']);
    if (e.status >= 500 && !(err instanceof SimError)) {
      // Unexpected: log the message only (never headers, so never a key).
      process.stderr.write(`meili-sim: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    }
    void reply.code(e.status).type('application/json').send(JSON.stringify(e.toJSON()));
  });
  // Meilisearch (actix) answers unknown paths with a bare 404, known paths asked with another
  // method with a bare 405: every route is also recorded in a method-blind router to tell them apart.
  const paths = Router();
  app.addHook('onRoute', (route) => {
    for (const m of Array.isArray(route.method) ? route.method : [route.method]) if (m !== 'HEAD') paths.on(m as HTTPMethod, route.url, () => undefined);
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?', 1)[0]!;
    const known = (['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).some((m) => paths.find(m, path) !== null);
    void reply.code(known ? 405 : 404).send();
  });

  if (config.simFaults) registerSimRoutes(app, new SimControls((f) => (store.indexingDelayMs = f.indexingDelayMs)));
  registerMiscRoutes(app, ctx);
  registerIndexRoutes(app, ctx);
  registerDocumentRoutes(app, ctx);
  registerSearchRoutes(app, ctx);
  registerFacetSimilarRoutes(app, ctx);
  registerSettingsRoutes(app, ctx);
  registerTaskRoutes(app, ctx);
  registerBatchRoutes(app, ctx);
  registerKeyRoutes(app, ctx);
  registerExperimentalRoutes(app, ctx);

  await app.listen({ host: config.host, port: config.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    app,
    store,
    url: `http://${host}:${port}`,
    async close() {
      await app.close();
      await store.close();
    },
  };
}
