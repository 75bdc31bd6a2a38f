import { createServer, type Server } from 'node:http';
import type { Logger } from '@miroir/config';
import type { MetricsService } from './metrics.service';

/**
 * The separate Prometheus port (`server.metrics_port`, docs/observability.md): `GET /metrics` only, no auth, so
 * a scraper needs no admin key. Bind it to an address only the monitoring network reaches. A plain
 * node:http server keeps it independent of the API's Fastify instance (its hooks, guards, limits).
 */
export async function startMetricsServer(metrics: MetricsService, host: string, port: number, logger: Logger): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not Found: scrape /metrics\n');
      return;
    }
    metrics.render().then(
      (text) => {
        res.writeHead(200, { 'content-type': metrics.contentType });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (err: Error) => {
        logger.error({ err: err.message }, 'metrics collection failed');
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('metrics collection failed\n');
      },
    );
  });
  // A stuck scraper must not hold sockets forever.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(`cannot listen on the metrics port ${host}:${port} (${err.code ?? err.message}); set server.metrics_port to another port, or 0 to disable it`)),
    );
    server.listen(port, host, () => resolve());
  });
  logger.info({ host, port }, 'metrics port listening');
  return server;
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
