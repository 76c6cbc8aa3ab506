import type { FastifyBaseLogger as Logger } from 'fastify';
import {
  assignPlanned,
  DeadlineWatcher,
  OppdragCommandHandler,
  systemClock,
  type Clock,
  type ImportOutcome,
  type CommandMetadata,
  type CommandResult,
  type HandleOptions,
} from '#application';
import type { Actor, AssignOppdrag, OppdragCommand } from '#domain';
import { SqliteEventStore, type EventStore, type Position } from '#event-store';
import { AuditTrail, OppdragProjector, OppdragQueries, ReadModelStore, type OppdragView } from '#projections';
import type { AppConfig } from '../config/app-config.js';
import { ApiError } from '../errors/api-error.js';

export interface ExecutedCommand extends CommandResult {
  /** The read model after the command, read from the projection once it includes the command's events. */
  readonly view: OppdragView | undefined;
}

/**
 * Everything one API instance runs: the event store client, the command handler, this instance's read
 * models with their projector, and the deadline watcher. Created once at boot, closed on shutdown.
 */
export class OppdragRuntime {
  readonly handler: OppdragCommandHandler;
  readonly readModels: ReadModelStore;
  readonly projector: OppdragProjector;
  readonly queries: OppdragQueries;
  readonly auditTrail: AuditTrail;
  readonly watcher: DeadlineWatcher;
  private inFlight = new Set<Promise<unknown>>();
  private accepting = true;

  constructor(
    readonly config: AppConfig,
    readonly store: EventStore,
    readonly clock: Clock,
    readonly logger: Logger,
  ) {
    this.handler = new OppdragCommandHandler(store, clock);
    this.readModels = new ReadModelStore(config.readModelPath);
    if (this.readModels.replaced)
      logger.warn(
        { path: config.readModelPath, reason: this.readModels.replaced },
        'read-model file replaced by a new one; rebuilding it from the events',
      );
    this.projector = new OppdragProjector(store, this.readModels, {
      onProblem: (message, error) => logger.error({ err: error }, message),
      retry: config.readModelRetry,
    });
    this.queries = new OppdragQueries(this.projector);
    this.auditTrail = new AuditTrail(store, this.readModels);
    this.watcher = new DeadlineWatcher(this.handler, this.queries, clock, (message, error) =>
      logger.error({ err: error }, message),
    );
  }

  async start(options: { watch: boolean }): Promise<void> {
    const started = Date.now();
    await this.projector.start();
    this.logger.info(
      {
        oppdrag: this.projector.summaries.size,
        position: this.projector.position()?.commit.toString() ?? null,
        ms: Date.now() - started,
      },
      'read models caught up',
    );
    if (options.watch) this.watcher.start(this.config.deadlineWatchIntervalMs);
  }

  /**
   * Handles a command and answers once this instance's read models include its events (read-your-writes).
   * Commands still running at shutdown are finished before the store closes.
   */
  async execute(
    command: OppdragCommand,
    metadata: CommandMetadata,
    options: HandleOptions = {},
  ): Promise<ExecutedCommand> {
    return this.tracked(async () => {
      const result = await this.handler.handle(command, metadata, options);
      await this.readYourWrites(
        result.position,
        `the command was recorded (revision ${result.revision}) but the read models did not catch up in time; send it again with the same commandId for the answer`,
      );
      return { ...result, view: this.projector.view(result.oppdragId) };
    });
  }

  /**
   * Assigns the oppdrag planned from letters (idempotently: those assigned already gain only new sources)
   * and answers, as {@link execute} does, once the read models include what was written.
   */
  async assignPlanned(
    planned: readonly AssignOppdrag['data'][],
    actor: Actor,
    correlationId: string,
  ): Promise<ImportOutcome> {
    return this.tracked(async () => {
      const outcome = await assignPlanned(this.handler, planned, actor, correlationId);
      await this.readYourWrites(
        outcome.lastPosition,
        'the import was recorded but the read models did not catch up in time; send it again for the answer',
      );
      return outcome;
    });
  }

  /** Runs a write unless shutting down, and lets shutdown wait for it. */
  private async tracked<T>(write: () => Promise<T>): Promise<T> {
    if (!this.accepting)
      throw new ApiError('SERVICE_UNAVAILABLE', 'the server is shutting down; send the command again');
    const run = write();
    this.inFlight.add(run);
    try {
      return await run;
    } finally {
      this.inFlight.delete(run);
    }
  }

  /** The one read-your-writes wait: until the read models include `position`, within the configured time. */
  private async readYourWrites(position: Position | null | undefined, late: string): Promise<void> {
    if (!position) return;
    try {
      await this.projector.waitFor(position, this.config.limits.readYourWritesMs);
    } catch {
      throw new ApiError('SERVICE_UNAVAILABLE', late);
    }
  }

  async shutdown(): Promise<void> {
    this.accepting = false;
    await this.watcher.drain();
    await Promise.allSettled([...this.inFlight]);
    await this.projector.stop();
    this.readModels.close();
    await this.store.close();
  }
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
