/**
 * A calendar feed's address holds its secret, so no log line may hold the address as it was asked for.
 * The logger redacts it everywhere it can appear: the request's URL, an error's message and stack, and
 * the message text itself (Fastify logs a refused URL in the message).
 */

const FEED_PATH = /\/kalender\/[^\s'"`?#]*/g;
const FEED_TOKEN = /[0-9a-f]{32}\.[0-9a-f]{16}\.[0-9a-f]{64}/g;

/** Text with every feed address and token in it replaced. */
export function redactText(text: string): string {
  return text.replace(FEED_PATH, '/kalender/[skjult]').replace(FEED_TOKEN, '[skjult]');
}

/** A URL for the log: a feed's path hidden, and any query string. */
export function redactUrl(url: string): string {
  const [path = ''] = url.split('?');
  return `${redactText(path)}${url.includes('?') ? '?[skjult]' : ''}`;
}

interface LoggedRequest {
  readonly method?: string;
  readonly url?: string;
  readonly host?: string;
  readonly ip?: string;
  readonly socket?: { readonly remotePort?: number } | null;
}

/** The request as Fastify's own serializer logs it, with the address redacted. */
function redactedRequest(request: LoggedRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: typeof request.url === 'string' ? redactUrl(request.url) : undefined,
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** An error as pino logs it, with its message and stack redacted. */
function redactedError(error: Error): { type: string; message: string; stack: string } {
  const { name, message, stack } = error;
  const code = (error as { code?: unknown }).code;
  const statusCode = (error as { statusCode?: unknown }).statusCode;
  return {
    type: name,
    message: redactText(message),
    stack: redactText(stack ?? ''),
    ...(code === undefined ? {} : { code }),
    ...(statusCode === undefined ? {} : { statusCode }),
  };
}

/** The logger options that keep feed addresses out of every log line. */
export const REDACTING_LOGGER = {
  serializers: { req: redactedRequest, err: redactedError },
  hooks: {
    logMethod(this: unknown, args: unknown[], method: (...args: unknown[]) => void): void {
      method.apply(
        this,
        args.map((a) => (typeof a === 'string' ? redactText(a) : a)),
      );
    },
  },
} as const;
