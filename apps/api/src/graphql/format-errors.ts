import { GraphQLError, type ExecutionResult } from 'graphql';
import { classify } from './errors.js';

/**
 * Mercurius's error formatter: every error leaves with `extensions.code` and a message a person can act
 * on; internal errors are logged by the caller and shown only as "internal error".
 */
export function formatExecution(
  execution: ExecutionResult & { errors: readonly GraphQLError[] },
  log: (error: unknown) => void,
): { statusCode: number; response: ExecutionResult } {
  let statusCode = 200;
  const errors = execution.errors.map((error) => {
    const original = error.originalError;
    const existing = error.extensions?.code;
    if (!original || original instanceof GraphQLError) {
      if (typeof existing === 'string') return error;
      // Parse and validation errors (including depth and complexity limits): the query itself is wrong.
      if (execution.data === undefined) statusCode = 400;
      const depth = /exceeds maximum query depth|maximum operation depth/i.test(error.message);
      return new GraphQLError(depth ? `${error.message}: ask for fewer nested fields` : error.message, {
        nodes: error.nodes,
        path: error.path,
        extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
      });
    }
    const { code, message, field } = classify(original);
    if (code === 'INTERNAL_SERVER_ERROR') log(original);
    return new GraphQLError(message, {
      nodes: error.nodes,
      path: error.path,
      extensions: field ? { code, field } : { code },
    });
  });
  return { statusCode, response: { data: execution.data ?? null, errors } };
}
