import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { Actor, Role } from '#domain';
import { ApiError } from '../graphql/errors.js';
import { requireRole, type RequestContext } from './current-user.js';

/** Who may ask one field that reads, and what the refusal calls the reading. */
export interface ReadRule {
  readonly roles: readonly Role[];
  readonly what: string;
}

const EVERY_USER: readonly Role[] = ['coordinator', 'rhf', 'auditor'];
const anyone = (what: string): ReadRule => ({ roles: EVERY_USER, what });

/**
 * Every root field that reads, by `Type.field`: each Query and Subscription field, and the mutations that
 * write nothing. A Query or Subscription field without an entry stops the start (see `withReadPolicy`), so
 * a new read cannot go unchecked. A coordinator is a user of HOD here too (`requireRole`).
 */
export const READ_POLICY: Readonly<Record<string, ReadRule>> = {
  'Query.me': anyone('ask who they are'),
  'Query.organisations': anyone('read the organisation registry'),
  'Query.oppdrag': anyone('read oppdrag'),
  'Query.oppdragList': anyone('read oppdrag'),
  'Query.whoLeadsWhat': anyone('read oppdrag'),
  'Query.overdue': anyone('read oppdrag'),
  'Query.workload': anyone('read oppdrag'),
  'Query.myParts': anyone('read oppdrag'),
  'Query.stillOwes': anyone('read oppdrag'),
  'Query.history': anyone('read the history of an oppdrag'),
  'Query.oppdragAsOf': anyone('read an oppdrag as of an instant'),
  'Query.auditTrail': { roles: ['auditor', 'coordinator'], what: 'read the audit trail' },
  'Query.annualReport': anyone('read the Årlig melding sheet'),
  'Query.charts': anyone('read oppdrag'),
  'Query.calendarFeeds': anyone('list their calendar feeds'),
  'Mutation.previewLetter': { roles: ['coordinator'], what: 'import letters' },
  'Mutation.createAnnualReportLink': anyone('download the Årlig melding sheet'),
  'Subscription.oppdragChanged': anyone('follow changes'),
  'Subscription.oppdragBecameOverdue': anyone('follow changes'),
};

/** Refuses a read the actor may not make (UNAUTHENTICATED without an actor), naming the rule. */
export function authorizeRead(user: Actor | null | undefined, field: string): Actor {
  if (!user) throw new ApiError('UNAUTHENTICATED', 'sign in: send Authorization: Bearer <token>');
  const rule = READ_POLICY[field];
  if (rule === undefined) throw new ApiError('FORBIDDEN', `rule "every read has a rule": ${field} has none`);
  requireRole(user, rule.roles, rule.what);
  return user;
}

/**
 * Makes every root field in `READ_POLICY` check its rule before its resolver runs: the one place where
 * reads are authorised. A schema transform, so that resolvers stay as they are. Throws when a Query or
 * Subscription field has no rule.
 */
export function withReadPolicy(schema: GraphQLSchema): GraphQLSchema {
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
  for (const root of roots) {
    if (!root || !isObjectType(root)) continue;
    for (const field of Object.values(root.getFields())) {
      const key = `${root.name}.${field.name}`;
      if (READ_POLICY[key] === undefined) {
        if (root === schema.getMutationType()) continue; // writes are checked by the domain's rules
        throw new Error(`${key} has no rule in READ_POLICY: say who may read it`);
      }
      const guard =
        (
          inner: GraphQLFieldResolver<unknown, RequestContext>,
        ): GraphQLFieldResolver<unknown, RequestContext> =>
        (source, args, context, info) => {
          authorizeRead(context?.user, key);
          return inner(source, args, context, info);
        };
      if (field.subscribe)
        field.subscribe = guard(field.subscribe as GraphQLFieldResolver<unknown, RequestContext>);
      else
        field.resolve = guard(
          (field.resolve as GraphQLFieldResolver<unknown, RequestContext> | undefined) ??
            defaultFieldResolver,
        );
    }
  }
  return schema;
}
