import { Module, type DynamicModule, type OnApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import type { FastifyRequest } from 'fastify';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { CalendarFeeds, type Clock } from '#application';
import type { Actor } from '#domain';
import type { EventStore } from '#event-store';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import { withReadPolicy } from './auth/read-policy.js';
import { TokenVerifier } from './auth/tokens.js';
import { initPayloadToken } from './auth/websocket-lifetime.js';
import { APP_CONFIG, type AppConfig } from './config/app-config.js';
import { AuditExportController } from './audit/audit-export.controller.js';
import { CalendarController } from './calendar/calendar.controller.js';
import { CALENDAR_PROVIDERS } from './calendar/calendar.resolver.js';
import { CHARTS_PROVIDERS } from './charts/charts.resolver.js';
import { DemoController, type DemoTokens } from './demo/demo.controller.js';
import { AnnualReportHandler } from './export/annual-report.query.js';
import { AnnualReportResolver } from './export/annual-report.resolver.js';
import { DownloadLinks } from './export/download-links.js';
import { ExportController } from './export/export.controller.js';
import {
  interpretDocumentsWithVariables,
  JIT_AFTER,
  withoutPropertyResolvers,
} from './graphql/compiled-execution.js';
import { formatExecution } from './graphql/format-errors.js';
import { CQRS_HANDLERS } from './graphql/handlers.js';
import { complexityLimit } from './graphql/limits.js';
import { queryCacheEntries } from './graphql/query-cache.js';
import { LettersResolver } from './graphql/letters.resolver.js';
import { OppdragResolver } from './graphql/oppdrag.resolver.js';
import { OppdragActionsResolver, OverdueListResolver, PartsResolver } from './graphql/parts.resolver.js';
import { SubscriptionsResolver } from './graphql/subscriptions.resolver.js';
import { costlyFieldsInTurns, Turns } from './graphql/turns.js';
import { HealthController } from './health/health.controller.js';
import { OppdragMutationsResolver } from './graphql/mutations.resolver.js';
import {
  CLOCK,
  EVENT_STORE,
  RUNTIME,
  runtimeProviders,
  shutdownRuntime,
  type Runtime,
} from './infrastructure/runtime.js';

/** Stops the runtime in order (writes, watcher, projector, read models, store) when Nest shuts down. */
@Injectable()
class RuntimeLifecycle implements OnApplicationShutdown {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}
  async onApplicationShutdown(): Promise<void> {
    await shutdownRuntime(this.runtime);
  }
}

export interface AppModuleOptions {
  readonly config: AppConfig;
  readonly runtime: Runtime;
  /** Development: fresh tokens for the demo users (empty otherwise). */
  readonly demoTokens: DemoTokens;
  /** Verifies bearer tokens (HTTP and WebSocket alike). */
  readonly tokens: TokenVerifier;
  /** The one logger, Fastify's too: nestjs-pino hands it to Nest. */
  readonly logger: Logger;
}

@Module({})
export class AppModule {
  static forRoot({ config, runtime, demoTokens, tokens, logger }: AppModuleOptions): DynamicModule {
    const log = (error: unknown): void =>
      runtime.logger.error({ err: error }, 'internal error in a GraphQL request');
    const turns = new Turns();
    const costContext = () => ({ oppdrag: runtime.projector.summaries.size });
    return {
      module: AppModule,
      imports: [
        // Fastify logs each request already (see logging.ts); nestjs-pino reuses its logger, adding none.
        LoggerModule.forRoot({ pinoHttp: { logger }, useExisting: true }),
        CqrsModule.forRoot(),
        GraphQLModule.forRoot<MercuriusDriverConfig>({
          driver: MercuriusDriver,
          path: '/graphql',
          autoSchemaFile: config.schemaFile ?? true,
          sortSchema: true,
          transformSchema: (schema) =>
            withReadPolicy(costlyFieldsInTurns(withoutPropertyResolvers(schema), turns)),
          // GraphiQL is served from this origin by static-assets.ts: Mercurius's own page loads a CDN.
          graphiql: false,
          queryDepth: config.limits.queryDepth,
          jit: JIT_AFTER,
          cache: queryCacheEntries(config.limits),
          graphql: { parseOptions: { maxTokens: config.limits.queryTokens } },
          // Off by default in production: the schema is in the repository, not for anyone with a token.
          validationRules: config.introspection ? [] : [NoSchemaIntrospectionCustomRule],
          hooks: {
            preExecution: [
              complexityLimit(config.limits.queryComplexity, { context: costContext }),
              interpretDocumentsWithVariables,
            ],
          },
          errorFormatter: (execution) =>
            formatExecution(execution, log, { bodyBytes: config.limits.bodyBytes }),
          context: (request: FastifyRequest) => ({
            user: (request as FastifyRequest & { user?: Actor }).user ?? null,
            correlationId: String(request.id),
          }),
          subscription: {
            keepAlive: 30_000,
            onConnect: async ({ payload }: { payload: unknown }) => {
              const token = initPayloadToken(payload);
              if (!token) return false;
              try {
                return { user: await tokens.verify(token) };
              } catch {
                return false;
              }
            },
          },
        }),
      ],
      controllers: [
        HealthController,
        CalendarController,
        AuditExportController,
        ExportController,
        ...(demoTokens.enabled ? [DemoController] : []),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        ...runtimeProviders(runtime),
        { provide: 'DEMO_TOKENS', useValue: demoTokens },
        { provide: Turns, useValue: turns },
        { provide: TokenVerifier, useValue: tokens },
        {
          provide: DownloadLinks,
          useValue: new DownloadLinks(config.downloadLinkSecret, () => Date.parse(runtime.clock.now())),
        },
        RuntimeLifecycle,
        ...CQRS_HANDLERS,
        AnnualReportHandler,
        AnnualReportResolver,
        OppdragResolver,
        OppdragMutationsResolver,
        PartsResolver,
        OverdueListResolver,
        OppdragActionsResolver,
        SubscriptionsResolver,
        LettersResolver,
        ...CHARTS_PROVIDERS,
        {
          provide: CalendarFeeds,
          useFactory: (store: EventStore, clock: Clock) => new CalendarFeeds(store, clock),
          inject: [EVENT_STORE, CLOCK],
        },
        ...CALENDAR_PROVIDERS,
      ],
    };
  }
}
