import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { systemClock, type Clock } from '#application';
import type { Actor } from '#domain';
import type { EventStore } from '#event-store';
import { AppModule } from './app.module.js';
import { bearerActor } from './auth/http-auth.js';
import { DEMO_USERS, mintToken, TokenVerifier } from './auth/tokens.js';
import { limitWebSocketLifetime } from './auth/websocket-lifetime.js';
import type { AppConfig } from './config/app-config.js';
import type { DemoTokens } from './demo/demo.controller.js';
import { serveDashboardVendor } from './dashboard/vendor.js';
import { seedDemo } from './demo/seed.js';
import { ApiError } from './errors/api-error.js';
import { inputValidation } from './graphql/errors.js';
import { formatRefusal } from './graphql/format-errors.js';
import { requestShapeProblem } from './graphql/request-shape.js';
import { buildRuntime, openEventStore, startRuntime, type Runtime } from './infrastructure/runtime.js';
import { createLogger } from './logging.js';
import { registerStaticAssets } from './static-assets.js';

export interface CreateAppOptions {
  readonly config: AppConfig;
  readonly clock?: Clock;
  /** An already open store (tests, benchmarks); otherwise the configured one is opened. */
  readonly store?: EventStore;
  /** Run the deadline watcher on its interval (default true). */
  readonly watch?: boolean;
  /**
   * Resolve only once the read models have caught up (default true). When false, the app is built while
   * they catch up: health answers at once (ready says 503 until caught up), GraphQL requests get
   * SERVICE_UNAVAILABLE until then, and `readModelsReady` settles when they are.
   */
  readonly awaitReadModels?: boolean;
  /** Where the log lines go (default: standard output); tests read them here. */
  readonly logStream?: { write(line: string): void };
}

export interface CreatedApp {
  readonly app: NestFastifyApplication;
  readonly runtime: Runtime;
  /** Development: tokens for the demo users, valid for the longest lifetime a token may have. */
  readonly demoTokens: ReadonlyArray<{ actor: Actor; token: string }>;
  /** Settles when the read models have caught up (rejects if they cannot). */
  readonly readModelsReady: Promise<void>;
}

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Builds the API: store, read models caught up, GraphQL over Fastify, auth, limits and shutdown hooks. */
export async function createApp(options: CreateAppOptions): Promise<CreatedApp> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const logger = createLogger(config, options.logStream);
  const adapter = new FastifyAdapter({
    bodyLimit: config.limits.bodyBytes,
    // A calendar feed's address is one path segment of 118 characters.
    routerOptions: { maxParamLength: 200 },
    loggerInstance: logger,
    genReqId: (request: { headers: Record<string, string | string[] | undefined> }) => {
      const header = request.headers['x-correlation-id'];
      return typeof header === 'string' && CORRELATION_ID.test(header) ? header : randomUUID();
    },
    return503OnClosing: true,
  });
  const fastify = adapter.getInstance();
  const store = options.store ?? (await openEventStore(config));
  const runtime = buildRuntime(config, store, clock, fastify.log);

  if (config.demoData && (await store.headPosition()) === null) {
    const count = await seedDemo(store, clock.now());
    fastify.log.info({ count }, 'demo oppdrag loaded');
  }
  const readModelsReady = startRuntime(runtime, { watch: options.watch ?? true });
  if (options.awaitReadModels ?? true) await readModelsReady;
  else readModelsReady.catch(() => undefined); // the caller handles it; never an unhandled rejection

  const demo: DemoTokens = {
    enabled: config.mode === 'development' && config.jwt.generated,
    mint: () =>
      Promise.all(
        DEMO_USERS.map(async (actor) => ({
          actor,
          token: await mintToken(config.jwt.secret, actor, {
            issuer: config.jwt.issuer,
            expiresIn: `${config.tokenTimes.maxLifetimeSeconds}s`,
          }),
        })),
      ),
  };
  const demoTokens = demo.enabled ? await demo.mint() : [];

  // A request still running when shutdown begins is finished, but its keep-alive connection must not
  // outlive it: the server's close waits for every open connection, and an idle keep-alive one would hold
  // the shutdown (and the closing of the store) until the client let go.
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', async (_request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (closing) void reply.header('connection', 'close');
    return payload;
  });

  const tokens = new TokenVerifier(config.jwt.enabled ? config.jwt.secret : null, {
    issuer: config.jwt.issuer,
    oidc: config.oidc,
    times: config.tokenTimes,
  });
  /** Answers a GraphQL request refused before it ran, through the same formatter as every GraphQL error. */
  const refuse = async (reply: FastifyReply, error: ApiError): Promise<void> => {
    const { statusCode, response } = formatRefusal(error, (e) =>
      logger.error({ err: e }, 'internal error in a refused request'),
    );
    await reply.code(statusCode).header('content-type', 'application/json').send(response);
  };
  // Every GraphQL request over HTTP names its actor with a bearer token; the WebSocket transport checks
  // the token in its connection_init payload instead.
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    void reply.header('x-correlation-id', String(request.id));
    if (!request.url.startsWith('/graphql') || request.headers.upgrade === 'websocket') return;
    if (!runtime.projector.isCaughtUp()) {
      const { reason } = runtime.projector.status();
      const message =
        reason === null
          ? 'the read models are catching up with the event store; try again shortly'
          : `the read models are unavailable (${reason}); they are being restored, try again shortly`;
      await refuse(reply.header('retry-after', '5'), new ApiError('SERVICE_UNAVAILABLE', message));
      return;
    }
    try {
      (request as FastifyRequest & { user?: Actor }).user = await bearerActor(
        request.headers.authorization,
        tokens,
      );
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.code === 'SERVICE_UNAVAILABLE') void reply.header('retry-after', '5');
      await refuse(reply, error);
    }
  });

  // A body of the wrong shape is the client's mistake: 400 naming the field, before the GraphQL server.
  fastify.addHook('preValidation', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'POST' || !request.url.startsWith('/graphql')) return;
    const problem = requestShapeProblem(request.body);
    if (problem === null) return;
    const error = { message: problem.message, extensions: { code: 'BAD_USER_INPUT', field: problem.field } };
    await reply
      .code(400)
      .header('content-type', 'application/json')
      .send({ data: null, errors: [error] });
  });
  limitWebSocketLifetime(fastify, { initTimeoutMs: config.connectionInitTimeoutMs, tokens });

  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, runtime, demoTokens: demo, tokens, logger }),
    adapter,
    { bufferLogs: true },
  );
  // Nest's own messages go to the same pino logger as Fastify's and the runtime's.
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(inputValidation());
  // The dashboard (static files that use only the public GraphQL API), and GraphiQL in development.
  await registerStaticAssets(fastify, {
    publicDir: config.publicDir,
    graphiql: config.mode === 'development',
  });
  serveDashboardVendor(fastify);
  app.enableShutdownHooks();
  await app.init();
  return { app, runtime, demoTokens, readModelsReady };
}
