import type { Provider } from '@nestjs/common';
import type { FastifyBaseLogger as Logger } from 'fastify';
import { DeadlineWatcher, OppdragCommandHandler, systemClock, type Clock } from '#application';
import { SqliteEventStore, type EventStore } from '#event-store';
import { AuditTrail, OppdragProjector, OppdragQueries, ReadModelStore } from '#projections';
import type { AppConfig } from '../config/app-config.js';
import { Today } from './today.js';
import { Writes } from './writes.js';

/** Injection tokens of the parts that are interfaces rather than classes. */
export const EVENT_STORE = Symbol('EventStore');
export const CLOCK = Symbol('Clock');
export const RUNTIME_LOGGER = Symbol('RuntimeLogger');
/** The runtime as a whole: only for its start and its ordered shutdown, never for a consumer's parts. */
export const RUNTIME = Symbol('Runtime');

/**
 * The parts one API instance runs, built once at boot from the configuration (the composition root):
 * the event store client, the command handler, this instance's read models with their projector, the
 * deadline watcher, and the one path of a write that answers once the read models include it. Each is
 * handed to Nest as a provider of its own (see {@link runtimeProviders}), so that every consumer names the
 * parts it uses.
 */
export interface Runtime {
  readonly config: AppConfig;
  readonly store: EventStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly handler: OppdragCommandHandler;
  readonly readModels: ReadModelStore;
  readonly projector: OppdragProjector;
  readonly queries: OppdragQueries;
  readonly auditTrail: AuditTrail;
  readonly watcher: DeadlineWatcher;
  readonly writes: Writes;
  readonly today: Today;
}

/**
 * Builds the runtime's parts. Outside Nest on purpose: opening the read-model file may refuse the start
 * (another instance holds it), and that refusal must reach the operator as its own message.
 */
export function buildRuntime(config: AppConfig, store: EventStore, clock: Clock, logger: Logger): Runtime {
  const handler = new OppdragCommandHandler(store, clock);
  const readModels = new ReadModelStore(config.readModelPath);
  if (readModels.replaced)
    logger.warn(
      { path: config.readModelPath, reason: readModels.replaced },
      'read-model file replaced by a new one; rebuilding it from the events',
    );
  const projector = new OppdragProjector(store, readModels, {
    onProblem: (message, error) => logger.error({ err: error }, message),
    retry: config.readModelRetry,
  });
  const queries = new OppdragQueries(projector);
  const watcher = new DeadlineWatcher(handler, queries, clock, (message, error) =>
    logger.error({ err: error }, message),
  );
  return {
    config,
    store,
    clock,
    logger,
    handler,
    readModels,
    projector,
    queries,
    auditTrail: new AuditTrail(store, readModels),
    watcher,
    writes: new Writes(projector, config.limits.readYourWritesMs),
    today: new Today(clock),
  };
}

/** Catches the read models up, then starts the deadline watcher (when asked to). */
export async function startRuntime(runtime: Runtime, options: { watch: boolean }): Promise<void> {
  const started = Date.now();
  await runtime.projector.start();
  runtime.logger.info(
    {
      oppdrag: runtime.projector.summaries.size,
      position: runtime.projector.position()?.commit.toString() ?? null,
      ms: Date.now() - started,
    },
    'read models caught up',
  );
  if (options.watch) runtime.watcher.start(runtime.config.deadlineWatchIntervalMs);
}

/**
 * Stops in order: no new writes, the watcher's round and the writes in flight finished, then the
 * projector, the read-model file and the store.
 */
export async function shutdownRuntime(runtime: Runtime): Promise<void> {
  runtime.writes.close();
  await runtime.watcher.drain();
  await runtime.writes.drain();
  await runtime.projector.stop();
  runtime.readModels.close();
  await runtime.store.close();
}

/** Each part of the runtime as a Nest provider of its own. */
export function runtimeProviders(runtime: Runtime): Provider[] {
  return [
    { provide: RUNTIME, useValue: runtime },
    { provide: EVENT_STORE, useValue: runtime.store },
    { provide: CLOCK, useValue: runtime.clock },
    { provide: RUNTIME_LOGGER, useValue: runtime.logger },
    { provide: OppdragCommandHandler, useValue: runtime.handler },
    { provide: OppdragProjector, useValue: runtime.projector },
    { provide: OppdragQueries, useValue: runtime.queries },
    { provide: AuditTrail, useValue: runtime.auditTrail },
    { provide: DeadlineWatcher, useValue: runtime.watcher },
    { provide: Writes, useValue: runtime.writes },
    { provide: Today, useValue: runtime.today },
  ];
}

/** Opens the configured event store. */
export async function openEventStore(config: AppConfig): Promise<EventStore> {
  if (config.store.kind === 'sqlite') return new SqliteEventStore({ path: config.store.path });
  const { KurrentDbEventStore } = await import('#event-store/kurrentdb/kurrentdb-event-store.js');
  return KurrentDbEventStore.fromConnectionString(config.store.connectionString, {
    deadlineMs: config.store.deadlineMs,
    streamPrefixes: config.store.streamPrefixes,
  });
}

export { systemClock };
