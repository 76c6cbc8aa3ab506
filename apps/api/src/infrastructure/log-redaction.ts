/**
 * Request logging without secrets. A download link (and any other credential carried in an address, as a
 * calendar client must) would otherwise be written to the log with the request's URL: its value is
 * replaced before the request is logged. Bearer tokens travel in a header, which is never logged.
 */

/** Query parameters whose values grant access and so never reach a log. */
const SECRET_PARAMETERS = ['link', 'token', 'sig', 'signature'];

const SECRET_VALUE = new RegExp(`([?&](?:${SECRET_PARAMETERS.join('|')})=)[^&#]*`, 'gi');

/** The address with the value of each secret parameter replaced by `[redacted]`. */
export function redactedUrl(url: string): string {
  return url.replace(SECRET_VALUE, '$1[redacted]');
}

interface LoggedRequest {
  readonly method: string;
  readonly url: string;
  readonly host?: string;
  readonly ip?: string;
  readonly socket?: { readonly remotePort?: number } | null;
}

/** Fastify's request serializer, as it logs a request by default, with the address redacted. */
export function requestSerializer(request: LoggedRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: redactedUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
