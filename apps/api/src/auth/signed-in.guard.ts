import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { ApiError } from '../errors/api-error.js';
import type { RequestContext } from './current-user.js';

/**
 * Lets a GraphQL operation through only with a verified actor in its context: the bearer token of an HTTP
 * request (checked before GraphQL runs), or the token of a WebSocket's connection_init. Every resolver
 * class carries it, so that no query or mutation runs for nobody; what the actor may do is then the read
 * policy's rule (reads) or the decider's (writes).
 */
@Injectable()
export class SignedInGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const ctx = GqlExecutionContext.create(context).getContext<RequestContext | undefined>();
    if (!ctx?.user) throw new ApiError('UNAUTHENTICATED', 'sign in: send Authorization: Bearer <token>');
    return true;
  }
}
