import { Catch, HttpException, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import { GraphQLError } from 'graphql';
import { ApiError, type ApiErrorCode } from '../errors/api-error.js';
import { DownloadLinkError } from '../export/download-links.js';
import { formatExecution, HTTP_STATUS } from '../graphql/format-errors.js';
import { RUNTIME_LOGGER } from '../infrastructure/runtime.js';

const CODE_OF_STATUS: Readonly<Record<number, ApiErrorCode>> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  503: 'SERVICE_UNAVAILABLE',
};

/** A refused download link: gone once its time is up, forbidden when changed. */
function linkRefusal(error: DownloadLinkError): { statusCode: number; error: GraphQLError } {
  const code = error.reason === 'expired' ? 'LINK_EXPIRED' : 'LINK_INVALID';
  return {
    statusCode: error.reason === 'expired' ? 410 : 403,
    error: new GraphQLError(error.message, { extensions: { code, field: 'link' } }),
  };
}

/** A refusal Nest itself raised (its pipes), as the API's own error. */
function asApiError(exception: unknown): unknown {
  if (exception instanceof HttpException) {
    const response = exception.getResponse();
    const message =
      typeof response === 'object' && response !== null && 'message' in response
        ? String(response.message)
        : exception.message;
    const code = CODE_OF_STATUS[exception.getStatus()];
    return code ? new ApiError(code, message) : exception;
  }
  return exception;
}

/**
 * The error body of a plain HTTP request (downloads, calendar feeds), built by the GraphQL error
 * formatter so that it reads as every other error of the API: `{ errors: [{ message, extensions: { code,
 * field? } }] }`, with the status of its code. Internal errors are logged and shown as "internal error".
 */
export function httpRefusal(
  exception: unknown,
  log: (error: unknown) => void,
): { statusCode: number; body: { errors: readonly unknown[] } } {
  if (exception instanceof DownloadLinkError) {
    const { statusCode, error } = linkRefusal(exception);
    return { statusCode, body: { errors: formatExecution({ errors: [error] }, log).response.errors ?? [] } };
  }
  const error = asApiError(exception);
  const message = error instanceof Error ? error.message : 'internal error';
  const { response } = formatExecution(
    { errors: [new GraphQLError(message, { originalError: error as Error })] },
    log,
  );
  const errors = response.errors ?? [];
  const code = (errors[0]?.extensions as { code?: ApiErrorCode } | undefined)?.code;
  return { statusCode: (code && HTTP_STATUS[code]) ?? 500, body: { errors } };
}

/** Answers every refusal of the plain HTTP controllers it is put on through {@link httpRefusal}. */
@Catch()
export class RefusalFilter implements ExceptionFilter {
  constructor(@Inject(RUNTIME_LOGGER) private readonly logger: FastifyBaseLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { statusCode, body } = httpRefusal(exception, (error) =>
      this.logger.error({ err: error }, 'internal error in an HTTP request'),
    );
    if (statusCode === 503) void reply.header('retry-after', '5');
    void reply
      .code(statusCode)
      .header('cache-control', 'no-store')
      .header('content-type', 'application/json; charset=utf-8')
      .send(body);
  }
}
