import 'reflect-metadata';
import type { Provider, Type } from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants.js';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import pino from 'pino';
import type { Actor } from '#domain';
import { AppModule } from '../src/app.module.js';
import { SignedInGuard } from '../src/auth/signed-in.guard.js';
import { TokenVerifier } from '../src/auth/tokens.js';
import { loadConfig } from '../src/config/app-config.js';
import { ApiError } from '../src/errors/api-error.js';
import type { Runtime } from '../src/infrastructure/runtime.js';

/** @nestjs/graphql marks each root field's method with its operation type under this key. */
const RESOLVER_TYPE = 'graphql:resolver_type';

const graphqlContext = (context: unknown): ExecutionContextHost => {
  const host = new ExecutionContextHost([{}, {}, context, {}]);
  host.setType('graphql');
  return host;
};

const ACTOR: Actor = {
  userId: 'kari',
  name: 'Kari Koordinator',
  role: 'coordinator',
  organisationId: 'hod',
};

describe('the signed-in guard', () => {
  it('refuses an operation whose context has no actor, naming the rule', () => {
    const guard = new SignedInGuard();
    for (const context of [{ user: null }, {}, undefined]) {
      let refusal: unknown;
      try {
        guard.canActivate(graphqlContext(context));
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toBeInstanceOf(ApiError);
      expect((refusal as ApiError).code).toBe('UNAUTHENTICATED');
      expect((refusal as ApiError).message).toMatch(/Authorization: Bearer/);
    }
  });

  it('lets an operation with a verified actor through', () => {
    expect(new SignedInGuard().canActivate(graphqlContext({ user: ACTOR }))).toBe(true);
  });

  it('guards every resolver class of the app that has a query, mutation or subscription', () => {
    const config = loadConfig({});
    const module = AppModule.forRoot({
      config,
      runtime: {} as Runtime,
      demoTokens: { enabled: false, mint: () => Promise.resolve([]) },
      tokens: new TokenVerifier(config.jwt.secret),
      logger: pino({ enabled: false }),
    });
    const classes = (module.providers ?? []).filter((p: Provider): p is Type => typeof p === 'function');
    const rootResolvers = classes.filter((c) =>
      Object.getOwnPropertyNames(c.prototype).some((name) =>
        ['Query', 'Mutation', 'Subscription'].includes(
          Reflect.getMetadata(RESOLVER_TYPE, c.prototype[name] as object) as string,
        ),
      ),
    );
    // Not vacuous: the app's resolver classes are found.
    expect(rootResolvers.map((c) => c.name)).toEqual(
      expect.arrayContaining(['OppdragResolver', 'OppdragMutationsResolver', 'LettersResolver']),
    );
    const unguarded = rootResolvers
      .filter((c) => !((Reflect.getMetadata(GUARDS_METADATA, c) ?? []) as unknown[]).includes(SignedInGuard))
      .map((c) => c.name);
    expect(unguarded).toEqual([]);
  });
});
