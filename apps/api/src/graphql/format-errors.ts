import { GraphQLError, type ExecutionResult } from 'graphql';
import type { ApiError, ApiErrorCode } from '../errors/api-error.js';
import { classify } from './errors.js';

/**
 * What Mercurius and Fastify throw when they refuse a request before executing it: an error with a code
 * such as `MER_ERR_GQL_VALIDATION` or `FST_ERR_CTP_BODY_TOO_LARGE` and an HTTP status. Mercurius puts the
 * underlying problems (syntax, unknown fields, query depth) in `errors`.
 */
interface RequestRefusal extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly errors?: unknown;
}

function isRequestRefusal(error: unknown): error is RequestRefusal {
  const candidate = error as { code?: unknown; statusCode?: unknown } | null;
  return (
    error instanceof Error &&
    typeof candidate?.code === 'string' &&
    /^(MER|FST)_ERR_/.test(candidate.code) &&
    typeof candidate.statusCode === 'number' &&
    candidate.statusCode >= 400 &&
    candidate.statusCode < 500
  );
}

const DEPTH = /query depth \((\d+)\) exceeds the query depth limit of (\d+)/;

/** A person-readable message for one reason a request was refused. */
function refusalMessage(error: Error, refusal: RequestRefusal, limits: FormatOptions): string {
  if (refusal.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return limits.bodyBytes === undefined
      ? 'the request body is too large'
      : `the request body is larger than the limit of ${limits.bodyBytes} bytes`;
  }
  const depth = DEPTH.exec(error.message);
  if (depth) {
    return `query depth ${depth[1]} exceeds the limit of ${depth[2]}: ask for fewer nested fields`;
  }
  if (error instanceof SyntaxError && !(error instanceof GraphQLError)) {
    return `the request body is not valid JSON: ${error.message}`;
  }
  return error.message;
}

/**
 * A client-facing copy of an execution error with another message and extensions, at the same place in
 * the query and the result. graphql-js's errors name the query's nodes; a query compiled by graphql-jit
 * reports the same places as `locations` without nodes, which are kept as they are.
 */
function located(error: GraphQLError, message: string, extensions: Record<string, unknown>): GraphQLError {
  const copy = new GraphQLError(message, { nodes: error.nodes, path: error.path, extensions });
  if (copy.locations === undefined && error.locations !== undefined) {
    (copy as { locations: GraphQLError['locations'] }).locations = error.locations;
  }
  return copy;
}

export interface FormatOptions {
  /** The request body limit, to name it when a body is refused. */
  readonly bodyBytes?: number;
}

/**
 * Mercurius's error formatter: every error leaves with `extensions.code` and a message a person can act
 * on; internal errors are logged by the caller and shown only as "internal error". A request refused
 * before execution (syntax, validation, depth, body size) answers with its 4xx status and BAD_USER_INPUT.
 */
export function formatExecution(
  execution: ExecutionResult & { errors: readonly GraphQLError[] },
  log: (error: unknown) => void,
  options: FormatOptions = {},
): { statusCode: number; response: ExecutionResult } {
  let statusCode = 200;
  const errors = execution.errors.flatMap((error) => {
    const original = error.originalError;
    if (isRequestRefusal(original)) {
      statusCode = original.statusCode;
      const reasons =
        Array.isArray(original.errors) && original.errors.length > 0
          ? (original.errors as unknown[]).filter((e): e is Error => e instanceof Error)
          : [original];
      return reasons.map(
        (reason) =>
          new GraphQLError(refusalMessage(reason, original, options), {
            nodes: reason instanceof GraphQLError ? reason.nodes : undefined,
            source: reason instanceof GraphQLError ? reason.source : undefined,
            positions: reason instanceof GraphQLError ? reason.positions : undefined,
            extensions: { code: 'BAD_USER_INPUT' },
          }),
      );
    }
    const existing = error.extensions?.code;
    if (!original || original instanceof GraphQLError) {
      if (typeof existing === 'string') return [error];
      // Parse and validation errors (including depth and complexity limits): the query itself is wrong.
      if (execution.data === undefined) statusCode = 400;
      return [located(error, error.message, { ...error.extensions, code: 'BAD_USER_INPUT' })];
    }
    const { code, message, field } = classify(original);
    if (code === 'INTERNAL_SERVER_ERROR') log(original);
    // Refused before execution (e.g. the complexity limit in a pre-execution hook): nothing ran.
    if (execution.data === undefined && code === 'BAD_USER_INPUT') statusCode = 400;
    return [located(error, message, field ? { code, field } : { code })];
  });
  return { statusCode, response: { data: execution.data ?? null, errors } };
}

/** The HTTP status of a request refused before GraphQL ran, by its code. */
/** The HTTP status of each code, for a request refused as a whole. */
export const HTTP_STATUS: Readonly<Record<ApiErrorCode, number>> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_TRANSITION: 409,
  SERVICE_UNAVAILABLE: 503,
  TOO_LARGE: 413,
  INTERNAL_SERVER_ERROR: 500,
};

/**
 * A GraphQL request refused before it ran (no token, read models catching up): its status and a body
 * built by {@link formatExecution}, exactly as an error raised during execution would be.
 */
export function formatRefusal(
  error: ApiError,
  log: (error: unknown) => void,
): { statusCode: number; response: ExecutionResult } {
  const { response } = formatExecution(
    { errors: [new GraphQLError(error.message, { originalError: error })] },
    log,
  );
  return { statusCode: HTTP_STATUS[error.code], response };
}
