import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigError, createLogger, httpSerializers, redactSecrets, type LoadedConfig } from '@miroir/config';
import { openStore } from '@miroir/store';
import { createTemporalClient } from '@miroir/temporal';
import { AppModule } from './app.module';
import { PinoNestLogger } from './infra/pino-nest-logger';
import { MeiliExceptionFilter } from './errors/meili-exception.filter';
import { registerRawBodyParser } from './http/raw-body';
import { RouteTable } from './http/route-table';
import { clientErrorHandler, frameworkErrors } from './http/transport-errors';
import { IndexUidInterceptor } from './http/index-uid.interceptor';
import { installHttpMetrics } from './observability/http-metrics';
import { installRequestIdHeader } from './observability/request-id';
import { MetricsService } from './observability/metrics.service';

/** Opens config-dependent resources, then builds the Nest application (not yet listening). */
export async function createApiApp(loaded: LoadedConfig): Promise<NestFastifyApplication> {
  const { config, secrets } = loaded;
  const logger = createLogger('miroir-api', config.log.level);
  if (!secrets.databaseUrl) throw new ConfigError('config error: DATABASE_URL: the API needs a Postgres connection string');
  // Bounded waits on Postgres: a partitioned database answers requests with a 503, never a hang.
  const ds = await openStore(secrets.databaseUrl, { applicationName: 'miroir-api', connectTimeoutMs: 5_000, queryTimeoutMs: 15_000 }).catch((err: Error) => {
    throw new Error(`cannot open the database: ${redactSecrets(err.message, secrets)}`);
  });
  const temporal = await createTemporalClient({ address: config.temporal.address, namespace: config.temporal.namespace });
  const adapter = new FastifyAdapter({
    bodyLimit: config.server.max_body_bytes,
    requestTimeout: config.server.request_timeout_ms,
    frameworkErrors,
    clientErrorHandler,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => (typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'] : randomUUID()),
    // Fastify logs every request at info; keep those for debug/trace runs only.
    loggerInstance: logger.child(
      { component: 'http' },
      { level: config.log.level === 'debug' || config.log.level === 'trace' ? config.log.level : 'warn', serializers: httpSerializers },
    ),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ loaded, ds, temporal, logger }), adapter, {
    logger: new PinoNestLogger(logger),
    bufferLogs: false,
    // Miroir parses every body itself (registerRawBodyParser); Nest's own JSON parser would replace
    // ours at start and reject an empty DELETE with content-type application/json, as SDKs send.
    bodyParser: false,
  });
  const routes = RouteTable.install(app.getHttpAdapter().getInstance());
  registerRawBodyParser(app.getHttpAdapter().getInstance(), config.server.max_body_bytes);
  app.useGlobalFilters(new MeiliExceptionFilter(logger, config.server.max_body_bytes, routes));
  app.useGlobalInterceptors(new IndexUidInterceptor());
  installHttpMetrics(app.getHttpAdapter().getInstance(), app.get(MetricsService));
  installRequestIdHeader(app.getHttpAdapter().getInstance());
  app.enableShutdownHooks();
  return app;
}
