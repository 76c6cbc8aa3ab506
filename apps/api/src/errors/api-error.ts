/**
 * The API's own error, shared by every layer of the app (runtime, auth, GraphQL); the GraphQL layer turns it
 * and every other error into what a client sees (`graphql/errors.ts`, `graphql/format-errors.ts`).
 */
export type ApiErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INVALID_TRANSITION'
  | 'SERVICE_UNAVAILABLE'
  /** What was asked for is more than one answer may hold (an export); narrow it. */
  | 'TOO_LARGE'
  | 'INTERNAL_SERVER_ERROR';

/** An error the API raises itself, with the code clients switch on. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /**
   * GraphQL copies an original error's `extensions` onto the error it reports, so the code survives the
   * paths that skip the error formatter: Mercurius sends errors raised while a WebSocket subscription
   * starts (auth, arguments) straight to the client.
   */
  get extensions(): { code: ApiErrorCode; field?: string } {
    return this.field ? { code: this.code, field: this.field } : { code: this.code };
  }
}
