import {
  Kind,
  OperationTypeNode,
  visit,
  type DocumentNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type FragmentDefinitionNode,
} from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { ApiError } from './errors.js';
import { COST_ARGUMENTS, ROOT_FIELD_COSTS, type CostContext, type RootFieldCost } from './field-costs.js';

/** The page size a list field asks for, if it has one. */
const pageSizeOf = (args: Record<string, unknown>): number | undefined =>
  [args.first, args.limitPerLead].find((v): v is number => typeof v === 'number');

/** What a page of results costs: each of its items as much as the fields asked of it. */
const pageCost = (size: number, childComplexity: number): number =>
  Math.max(1, Math.min(size, 100)) * Math.max(childComplexity, 1);

/** A list field's cost grows with the page size it asks for; every other field costs one. */
const pageSizeEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const size = pageSizeOf(args);
  if (size === undefined) return undefined;
  return 1 + pageCost(size, childComplexity);
};

/** A root field costs its own work (see field-costs.ts) and what it returns. */
function rootFieldEstimator(
  costs: Readonly<Record<string, RootFieldCost>>,
  context: () => CostContext,
): ComplexityEstimator {
  return ({ type, field, args, childComplexity }) => {
    const entry = costs[`${type.name}.${field.name}`];
    if (entry === undefined) return undefined;
    const size = pageSizeOf(args);
    return (
      entry.cost(args, context()) + (size === undefined ? childComplexity : pageCost(size, childComplexity))
    );
  };
}

/**
 * The variables a document's complexity can depend on: those given directly as an argument the costs
 * read (page sizes, filters, letters) and those in directives (`@include(if: $x)` decides whether fields
 * count at all). Other variables, such as a mutation's `$input`, cannot change it.
 */
function costVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  visit(document, {
    Argument(node) {
      if (node.value.kind === Kind.VARIABLE && COST_ARGUMENTS.has(node.name.value))
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

/**
 * The response keys (aliases, or names) under which a document asks for each root field (`Type.field`),
 * through fragments too. Fields with the same key are merged into one by GraphQL, so this counts how many
 * times each is resolved at most.
 */
function rootFieldKeys(document: DocumentNode, schema: GraphQLSchema): Map<string, Set<string>> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const keys = new Map<string, Set<string>>();
  const walked = new Set<string>();
  const walk = (selectionSet: SelectionSetNode, type: string): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = `${type}.${selection.name.value}`;
        const set = keys.get(field) ?? new Set<string>();
        set.add(selection.alias?.value ?? selection.name.value);
        keys.set(field, set);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet, type);
      else if (!walked.has(selection.name.value)) {
        walked.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet, type);
      }
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const root =
      definition.operation === OperationTypeNode.QUERY
        ? schema.getQueryType()
        : definition.operation === OperationTypeNode.MUTATION
          ? schema.getMutationType()
          : schema.getSubscriptionType();
    if (root) walk(definition.selectionSet, root.name);
  }
  return keys;
}

/** The first costly root field a document asks for more often than one request may, as an error. */
function tooManyAliases(
  document: DocumentNode,
  schema: GraphQLSchema,
  costs: Readonly<Record<string, RootFieldCost>>,
): string | null {
  for (const [field, keys] of rootFieldKeys(document, schema)) {
    const most = costs[field]?.perRequest;
    if (most !== undefined && keys.size > most) {
      const name = field.slice(field.indexOf('.') + 1);
      return `${name}: asked for ${keys.size} times in one request (by alias); at most ${most}, as each is costly: send the rest in further requests`;
    }
  }
  return null;
}

interface KnownDocument {
  readonly schema: GraphQLSchema;
  /** Why the document asks for too much whatever its variables, or null. */
  readonly refusal: string | null;
  readonly variables: readonly string[];
  /** Complexity by the JSON of the cost-relevant variables (present or absent, and their values). */
  readonly complexity: Map<string, number>;
}

export interface ComplexityLimitOptions {
  /** The cost of each root field (default {@link ROOT_FIELD_COSTS}). */
  readonly costs?: Readonly<Record<string, RootFieldCost>>;
  /** What costs depend on besides arguments, read when a document's cost is computed. */
  readonly context?: () => CostContext;
}

/**
 * A pre-execution check that refuses an over-complex query before it runs: one that asks for a costly
 * field under more aliases than allowed, or whose cost (see field-costs.ts) exceeds `maximum`. It runs
 * after validation (so Mercurius can keep caching parsed and validated queries) and sees the request's
 * variables.
 */
export function complexityLimit(maximum: number, options: ComplexityLimitOptions = {}) {
  const costs = options.costs ?? ROOT_FIELD_COSTS;
  const context = options.context ?? ((): CostContext => ({ oppdrag: 0 }));
  const estimators = [
    rootFieldEstimator(costs, context),
    pageSizeEstimator,
    simpleEstimator({ defaultComplexity: 1 }),
  ];
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
      entry = {
        schema,
        refusal: tooManyAliases(document, schema, costs),
        variables: costVariables(document),
        complexity: new Map(),
      };
      known.set(document, entry);
    }
    if (entry.refusal !== null) throw new ApiError('BAD_USER_INPUT', entry.refusal);
    const values = variables ?? {};
    const key = JSON.stringify([
      context(),
      entry.variables.map((name) => (Object.hasOwn(values, name) ? [values[name]] : [])),
    ]);
    let complexity = entry.complexity.get(key);
    if (complexity === undefined) {
      complexity = getComplexity({
        schema,
        query: document,
        variables: values,
        estimators,
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
