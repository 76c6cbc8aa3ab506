import type { FastifyRequest } from 'fastify';
import type { Actor, Role } from '#domain';
import { AuthError, bearerToken, SigningKeysUnavailableError, type TokenVerifier } from './tokens.js';

/**
 * Why a plain HTTP request (not GraphQL) was refused: its status and a message that names the rule. 503
 * when the token could not be checked for want of the issuer's keys (no fault of the token; try again).
 */
export class HttpRefusal extends Error {
  constructor(
    readonly status: 401 | 403 | 503,
    message: string,
  ) {
    super(message);
    this.name = 'HttpRefusal';
  }
}

/**
 * The actor of a plain HTTP request from its bearer token, as GraphQL checks it, refused unless their role
 * is one of `roles`. A calendar feed's token is no bearer token and opens nothing here.
 */
export async function httpActor(
  request: FastifyRequest,
  tokens: TokenVerifier,
  roles: readonly Role[],
  what: string,
): Promise<Actor> {
  const token = bearerToken(request.headers.authorization);
  if (!token) throw new HttpRefusal(401, 'sign in: send Authorization: Bearer <token>');
  let actor: Actor;
  try {
    actor = await tokens.verify(token);
  } catch (error) {
    if (error instanceof SigningKeysUnavailableError) throw new HttpRefusal(503, error.message);
    throw new HttpRefusal(
      401,
      error instanceof AuthError ? error.message : 'the bearer token could not be checked',
    );
  }
  if (!roles.includes(actor.role))
    throw new HttpRefusal(
      403,
      `rule "only ${roles.join(' or ')} may ${what}": ${actor.name} is ${actor.role}`,
    );
  return actor;
}
