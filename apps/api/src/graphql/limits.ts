import type { DocumentNode, GraphQLSchema } from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { declaresVariables } from './compiled-execution.js';
import { ApiError } from './errors.js';

/** A list field's cost grows with the page size it asks for; every other field costs one. */
const pageSizeEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const size = [args.first, args.limitPerLead].find((v): v is number => typeof v === 'number');
  if (size === undefined) return undefined;
  return 1 + Math.max(1, Math.min(size, 100)) * Math.max(childComplexity, 1);
};

/**
 * A pre-execution check that refuses an over-complex query before it runs. It runs after validation (so
 * Mercurius can keep caching parsed and validated queries) and sees the request's variables.
 */
export function complexityLimit(maximum: number) {
  // Mercurius hands the same parsed document to every request with the same query text. A document
  // without variables has one complexity, so it is computed once per document (and per schema).
  const known = new WeakMap<DocumentNode, { schema: GraphQLSchema; complexity: number }>();
  return (
    schema: GraphQLSchema,
    document: DocumentNode,
    _context: unknown,
    variables: Record<string, unknown> | undefined,
  ): void => {
    const cached = known.get(document);
    let complexity: number;
    if (cached !== undefined && cached.schema === schema) {
      complexity = cached.complexity;
    } else {
      complexity = getComplexity({
        schema,
        query: document,
        variables: variables ?? {},
        estimators: [pageSizeEstimator, simpleEstimator({ defaultComplexity: 1 })],
      });
      if (!declaresVariables(document)) known.set(document, { schema, complexity });
    }
    if (complexity > maximum) {
      throw new ApiError(
        'BAD_USER_INPUT',
        `query complexity ${complexity} exceeds the limit of ${maximum}: ask for smaller pages or fewer fields`,
      );
    }
  };
}
