import type { IncomingMessage } from 'node:http';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { AppConfig } from './config/app-config.js';

/** What a request log line says of the request: never its headers (the bearer token), nor query values. */
interface LoggedRequest {
  readonly method: string | undefined;
  readonly url: string;
  readonly host: string | undefined;
  readonly remoteAddress: string | undefined;
}

/**
 * A request's URL with every query-string value replaced: a token or secret sent in the query string (a
 * GraphiQL link, a misconfigured client) must not reach the logs. The parameter names stay, to tell requests
 * apart.
 */
export function loggableUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const names = url
    .slice(at + 1)
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => `${pair.split('=', 1)[0] ?? ''}=[redacted]`);
  return `${url.slice(0, at)}?${names.join('&')}`;
}

/** Fastify's request serializer, without the parts that may hold secrets. */
function request(req: IncomingMessage & { hostname?: string; ip?: string }): LoggedRequest {
  return {
    method: req.method,
    url: loggableUrl(req.url ?? ''),
    host: req.hostname ?? req.headers?.host,
    remoteAddress: req.ip ?? req.socket?.remoteAddress,
  };
}

/**
 * The API's one logger: structured JSON through pino. Fastify logs requests through it (with the request's
 * correlation id), Nest's own messages reach it through nestjs-pino, and the runtime logs to it. Anything
 * that would carry a credential is redacted.
 */
export function createLogger(config: Pick<AppConfig, 'logLevel'>, destination?: DestinationStream): Logger {
  const options = {
    level: config.logLevel,
    serializers: { req: request },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        'authorization',
        'token',
        '*.token',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
