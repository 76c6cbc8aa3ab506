import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { isCoordinator, type Actor, type Role } from '#domain';
import { ApiError } from '../graphql/errors.js';

/** The GraphQL context: the verified actor (HTTP: bearer header; WebSocket: connection_init payload). */
export interface RequestContext {
  readonly user?: Actor | null;
  readonly correlationId?: string;
}

/** The verified actor of the request; UNAUTHENTICATED when there is none. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const ctx = GqlExecutionContext.create(context).getContext<RequestContext>();
  if (!ctx.user) throw new ApiError('UNAUTHENTICATED', 'sign in: send Authorization: Bearer <token>');
  return ctx.user;
});

export const CorrelationId = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | undefined => {
    return GqlExecutionContext.create(context).getContext<RequestContext>().correlationId;
  },
);

/** Refuses a read that the actor's role may not make, naming the rule. */
export function requireRole(actor: Actor, roles: readonly Role[], what: string): void {
  // A coordinator is a user of HOD, by the domain's one rule, wherever a role is checked.
  if (!roles.includes(actor.role) || (actor.role === 'coordinator' && !isCoordinator(actor))) {
    throw new ApiError(
      'FORBIDDEN',
      `rule "only ${roles.join(' or ')} may ${what}": ${actor.name} is ${actor.role}`,
    );
  }
}
