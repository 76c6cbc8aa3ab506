import { Kind, visit, type DocumentNode, type GraphQLSchema } from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { ApiError } from './errors.js';

/** A list field's cost grows with the page size it asks for; every other field costs one. */
const pageSizeEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const size = [args.first, args.limitPerLead].find((v): v is number => typeof v === 'number');
  if (size === undefined) return undefined;
  return 1 + Math.max(1, Math.min(size, 100)) * Math.max(childComplexity, 1);
};

/** Arguments whose value the estimators read. */
const PAGE_SIZE_ARGUMENTS = new Set(['first', 'limitPerLead']);

/**
 * The variables a document's complexity can depend on: those given directly as a page size argument
 * (the only arguments the estimators read) and those in directives (`@include(if: $x)` decides whether
 * fields count at all). Other variables, such as a mutation's `$input`, cannot change it.
 */
function costVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  visit(document, {
    Argument(node) {
      if (node.value.kind === Kind.VARIABLE && PAGE_SIZE_ARGUMENTS.has(node.name.value))
        names.add(node.value.name.value);
    },
    Directive(node) {
      visit(node, {
        Variable(variable) {
          names.add(variable.name.value);
        },
      });
    },
  });
  return [...names].sort();
}

/** How many sets of cost-relevant variable values to remember per document. */
const VALUES_PER_DOCUMENT = 64;

interface KnownDocument {
  readonly schema: GraphQLSchema;
  readonly variables: readonly string[];
  /** Complexity by the JSON of the cost-relevant variables (present or absent, and their values). */
  readonly complexity: Map<string, number>;
}

/**
 * A pre-execution check that refuses an over-complex query before it runs. It runs after validation (so
 * Mercurius can keep caching parsed and validated queries) and sees the request's variables.
 */
export function complexityLimit(maximum: number) {
  // Mercurius hands the same parsed document to every request with the same query text, and a
  // document's complexity depends only on the schema and the variables named by `costVariables`, so it
  // is computed once per document and set of those values. Only successful computations are kept: a
  // request whose variables cannot be coerced is refused as before.
  const known = new WeakMap<DocumentNode, KnownDocument>();
  return (
    schema: GraphQLSchema,
    document: DocumentNode,
    _context: unknown,
    variables: Record<string, unknown> | undefined,
  ): void => {
    let entry = known.get(document);
    if (entry === undefined || entry.schema !== schema) {
      entry = { schema, variables: costVariables(document), complexity: new Map() };
      known.set(document, entry);
    }
    const values = variables ?? {};
    const key = JSON.stringify(
      entry.variables.map((name) => (Object.hasOwn(values, name) ? [values[name]] : [])),
    );
    let complexity = entry.complexity.get(key);
    if (complexity === undefined) {
      complexity = getComplexity({
        schema,
        query: document,
        variables: values,
        estimators: [pageSizeEstimator, simpleEstimator({ defaultComplexity: 1 })],
      });
      if (entry.complexity.size >= VALUES_PER_DOCUMENT) entry.complexity.clear();
      entry.complexity.set(key, complexity);
    }
    if (complexity > maximum) {
      throw new ApiError(
        'BAD_USER_INPUT',
        `query complexity ${complexity} exceeds the limit of ${maximum}: ask for smaller pages or fewer fields`,
      );
    }
  };
}
