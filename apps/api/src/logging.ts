import { pino, type Logger } from 'pino';
import type { AppConfig } from './config/app-config.js';
import { requestSerializer } from './infrastructure/log-redaction.js';

/**
 * The API's one logger: structured JSON through pino. Fastify logs requests through it (with the request's
 * correlation id, and the address without its secrets: see log-redaction.ts), Nest's own messages reach it
 * through nestjs-pino, and the runtime logs to it. Headers are never logged; a credential that reaches a log
 * field anyway is redacted.
 */
export function createLogger(
  config: Pick<AppConfig, 'logLevel'>,
  destination?: { write(line: string): void },
): Logger {
  const options = {
    level: config.logLevel,
    serializers: { req: requestSerializer },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'authorization'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
