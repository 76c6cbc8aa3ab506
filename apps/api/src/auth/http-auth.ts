import type { Actor, Role } from '#domain';
import { ApiError } from '../errors/api-error.js';
import { AuthError, bearerToken, SigningKeysUnavailableError, type TokenVerifier } from './tokens.js';

const SIGN_IN = 'sign in: send Authorization: Bearer <token>';

/**
 * The actor an HTTP request's Authorization header names, checked as every request is (GraphQL and the
 * plain downloads alike): UNAUTHENTICATED without a valid bearer token (`missing` says what to send
 * instead), SERVICE_UNAVAILABLE while the issuer's keys cannot be fetched (no fault of the token).
 */
export async function bearerActor(
  authorization: unknown,
  tokens: TokenVerifier,
  missing: string = SIGN_IN,
): Promise<Actor> {
  const token = bearerToken(authorization);
  if (!token) throw new ApiError('UNAUTHENTICATED', missing);
  try {
    return await tokens.verify(token);
  } catch (error) {
    if (error instanceof SigningKeysUnavailableError)
      throw new ApiError('SERVICE_UNAVAILABLE', error.message);
    throw new ApiError(
      'UNAUTHENTICATED',
      error instanceof AuthError ? error.message : 'the bearer token could not be checked',
    );
  }
}

/**
 * The actor of a plain HTTP request from its bearer token, as GraphQL checks it, refused (FORBIDDEN)
 * unless their role is one of `roles`. A calendar feed's token is no bearer token and opens nothing here.
 */
export async function httpActor(
  authorization: unknown,
  tokens: TokenVerifier,
  roles: readonly Role[],
  what: string,
): Promise<Actor> {
  const actor = await bearerActor(authorization, tokens);
  if (!roles.includes(actor.role))
    throw new ApiError(
      'FORBIDDEN',
      `rule "only ${roles.join(' or ')} may ${what}": ${actor.name} is ${actor.role}`,
    );
  return actor;
}
