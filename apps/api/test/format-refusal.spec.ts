import { ApiError } from '../src/errors/api-error.js';
import { formatRefusal } from '../src/graphql/format-errors.js';

describe('formatRefusal', () => {
  it.each([
    ['UNAUTHENTICATED', 401],
    ['SERVICE_UNAVAILABLE', 503],
  ] as const)('answers %s with %i and the body every GraphQL error has', (code, status) => {
    const logged: unknown[] = [];
    const { statusCode, response } = formatRefusal(new ApiError(code, 'why it was refused'), (e) =>
      logged.push(e),
    );
    expect(statusCode).toBe(status);
    expect(JSON.parse(JSON.stringify(response))).toEqual({
      data: null,
      errors: [{ message: 'why it was refused', extensions: { code } }],
    });
    expect(logged).toEqual([]);
  });
});
