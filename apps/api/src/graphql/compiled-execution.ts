import { isObjectType, Kind, type DocumentNode, type GraphQLField, type GraphQLSchema } from 'graphql';
import { COMPILE_MAX_FIELDS, fieldCount } from './query-cache.js';

/**
 * Mercurius compiles a query text with graphql-jit once it has run `JIT_AFTER` times, and runs the
 * compiled function from then on instead of graphql-js's interpreter: the list queries spend most of their
 * time resolving fields, which the compiled query does several times faster.
 */
export const JIT_AFTER = 1;

/** Whether any operation of the document declares variables. */
export function declaresVariables(document: DocumentNode): boolean {
  return document.definitions.some(
    (d) => d.kind === Kind.OPERATION_DEFINITION && (d.variableDefinitions?.length ?? 0) > 0,
  );
}

/**
 * A pre-execution hook that keeps documents with variables, and large documents, on graphql-js. A
 * document of more than {@link COMPILE_MAX_FIELDS} fields is not compiled: its compiled query would take
 * memory in proportion to its size (see query-cache.ts) and compiling it would hold the event loop.
 *
 * As for variables: graphql-jit coerces them with its own generated code, and that code (0.8.x) refuses an input object that leaves out a non-null
 * field with a default value, which GraphQL allows and our inputs rely on (e.g. `collaborators`), and
 * words its refusals differently. Mercurius never runs a compiled query for a request whose hook returned
 * a document, so returning the unchanged document makes it execute this request with graphql-js, exactly
 * as without jit. Documents without variables have only literal arguments, which graphql-jit coerces
 * with graphql-js's own `valueFromAST`.
 */
export function interpretDocumentsWithVariables(
  _schema: GraphQLSchema,
  document: DocumentNode,
): { document: DocumentNode } | undefined {
  return declaresVariables(document) || fieldCount(document) > COMPILE_MAX_FIELDS ? { document } : undefined;
}

/**
 * Whether a field's resolver is the one Nest gives every field of a code-first object type: read the
 * property of the same name from the parent, or the field's `defaultValue` when it is undefined. Probed
 * rather than assumed: it must return the parent's property and undefined for a parent without it.
 */
function readsOwnProperty(field: GraphQLField<unknown, unknown>): boolean {
  const resolve = field.resolve as ((parent: unknown) => unknown) | undefined;
  if (resolve === undefined || resolve.name !== 'rootFieldResolver') return false;
  const marker = {};
  try {
    return resolve({ [field.name]: marker }) === marker && resolve(Object.create(null)) === undefined;
  } catch {
    return false;
  }
}

/**
 * Removes the property-reading resolvers Nest puts on every field of an object type (not on the root
 * Query, Mutation and Subscription fields, which are the real resolvers). Without them graphql-js's
 * default resolver reads the same property, and a compiled query reads it inline instead of calling a
 * function per field per object, which was most of the field time of the list queries.
 */
export function withoutPropertyResolvers(schema: GraphQLSchema): GraphQLSchema {
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || roots.has(type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.subscribe === undefined && readsOwnProperty(field)) field.resolve = undefined;
    }
  }
  return schema;
}
