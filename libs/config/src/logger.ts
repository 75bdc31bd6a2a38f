import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs (docs/observability.md). Credentials are redacted by path, so a logged request never
 * carries a key, whatever the log level.
 */
export function createLogger(name: string, level: string): Logger {
  return pino({
    name,
    level,
    base: { service: name },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-admin-key"]',
        'req.headers.cookie',
        'headers.authorization',
        'headers["x-admin-key"]',
        '*.masterKey',
        '*.adminKey',
        '*.nodeMasterKey',
        '*.databaseUrl',
      ],
      censor: '***',
    },
  });
}

/**
 * A request URL safe to log: API keys travel in paths (`/keys/<key>`), so that segment is masked.
 * Query strings are dropped — they carry filters and search text, not routing.
 */
export function loggableUrl(url: string): string {
  const path = url.split('?')[0]!;
  return path.replace(/^\/keys\/[^/]+/, '/keys/***');
}

/** pino serializers for HTTP request/response log lines (Fastify's access log). */
export const httpSerializers = {
  req: (req: { method?: string; url?: string; id?: unknown }) => ({ id: req.id, method: req.method, url: loggableUrl(req.url ?? '') }),
  res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
};

export type { Logger };
