import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs (SPEC §14). Credentials are redacted by path, so a logged request never
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

export type { Logger };
