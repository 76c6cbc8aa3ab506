import { Kind, type DocumentNode, type GraphQLSchema } from 'graphql';

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
 * A pre-execution hook that keeps documents with variables on graphql-js. graphql-jit coerces variables
 * with its own generated code, and that code (0.8.x) refuses an input object that leaves out a non-null
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
  return declaresVariables(document) ? { document } : undefined;
}
