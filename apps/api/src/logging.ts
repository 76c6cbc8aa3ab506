import { pino, type Logger } from 'pino';
import type { AppConfig } from './config/app-config.js';
import { REDACTING_LOGGER } from './calendar/redact.js';

/**
 * The API's one logger: structured JSON through pino. Fastify logs requests through it (with the request's
 * correlation id, and the address without its secrets: see log-redaction.ts and calendar/redact.ts), Nest's own messages reach it
 * through nestjs-pino, and the runtime logs to it. Headers are never logged; a credential that reaches a log
 * field anyway is redacted.
 */
export function createLogger(
  config: Pick<AppConfig, 'logLevel'>,
  destination?: { write(line: string): void },
): Logger {
  const options = {
    level: config.logLevel,
    // Requests without their secrets, errors and messages without a calendar feed's address.
    ...REDACTING_LOGGER,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'authorization'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
