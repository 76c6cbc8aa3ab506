/**
 * The shape of a GraphQL request body (POST): `query` a string, `variables` an object, `operationName` a
 * string, each when given. The GraphQL server reads a body of any other shape as an internal error; this
 * names the field and the rule instead, before anything runs.
 */
export function requestShapeProblem(body: unknown): { field: string; message: string } | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null; // the server's own answer
  const { query, variables, operationName } = body as Record<string, unknown>;
  if (query !== undefined && typeof query !== 'string')
    return {
      field: 'query',
      message: `query: must be a string holding a GraphQL document (got ${kind(query)})`,
    };
  if (
    variables !== undefined &&
    variables !== null &&
    (typeof variables !== 'object' || Array.isArray(variables))
  )
    return {
      field: 'variables',
      message: `variables: must be an object of names and values (got ${kind(variables)})`,
    };
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string')
    return {
      field: 'operationName',
      message: `operationName: must be a string (got ${kind(operationName)})`,
    };
  return null;
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}
