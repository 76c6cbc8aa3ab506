import { requestSerializer } from '../infrastructure/log-redaction.js';

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

/** The request as it is logged (see `log-redaction.ts`), with a feed's address hidden as well. */
function redactedRequest(request: Parameters<typeof requestSerializer>[0]): Record<string, unknown> {
  const logged = requestSerializer(request);
  return { ...logged, url: redactText(String(logged.url)) };
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
