import {
  decide,
  DomainError,
  encodeEvent,
  fold,
  streamIdFor,
  type Actor,
  type OppdragCommand,
  type OppdragEvent,
  type OppdragState,
} from '#domain';
import { EventStoreError, type EventStore, type EventToAppend, type Position } from '#event-store';
import type { Clock } from './clock.js';
import { eventIdFor, isUuid } from './ids.js';
import { loadOppdrag, type OppdragEventMetadata, type StoredOppdragEvent } from './oppdrag-repository.js';

export interface CommandMetadata {
  /** A UUID chosen by the caller; a retry with the same id is answered without writing again. */
  readonly commandId: string;
  readonly actor: Actor;
  readonly correlationId?: string;
  readonly causationId?: string;
}

export interface HandleOptions {
  /** The revision the caller last saw; a stale one is refused with CONFLICT instead of being retried. */
  readonly expectedRevision?: number | 'no_stream';
}

export interface CommandResult {
  readonly oppdragId: string;
  readonly events: readonly OppdragEvent[];
  /** The stream's revision after the command. */
  readonly revision: number;
  /** The global position of the command's last event (or of the stream's last event for a replay). */
  readonly position: Position | null;
  readonly state: OppdragState;
  /** True when the command had been handled before and this answer repeats it. */
  readonly duplicate: boolean;
}

/**
 * The one generic command handler: load → fold → decide → append with the revision it read. A conflict
 * with another writer is retried by re-reading, a bounded number of times, unless the caller named the
 * revision it expected, in which case the conflict is the caller's answer.
 */
export class OppdragCommandHandler {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly maxAttempts = 5,
  ) {}

  async handle(
    command: OppdragCommand,
    metadata: CommandMetadata,
    options: HandleOptions = {},
  ): Promise<CommandResult> {
    if (!isUuid(metadata.commandId))
      throw new DomainError('VALIDATION', 'commandId: must be a UUID', 'commandId');
    const oppdragId = command.data.oppdragId;
    for (let attempt = 1; ; attempt++) {
      const loaded = await loadOppdrag(this.store, oppdragId);
      const earlier = loaded.events.filter((e) => e.metadata.commandId === metadata.commandId);
      if (earlier.length > 0) return repeatOf(oppdragId, earlier, loaded.state);
      if (options.expectedRevision !== undefined && options.expectedRevision !== loaded.revision) {
        throw new DomainError(
          'CONFLICT',
          `oppdrag ${oppdragId} is at revision ${String(loaded.revision)}, not ${String(options.expectedRevision)}: it changed since you read it`,
          'expectedRevision',
        );
      }
      const now = this.clock.now();
      const events = decide(command, loaded.state, { actor: metadata.actor, now });
      const toAppend = events.map((event, index) => this.toAppend(event, index, command, metadata, now));
      try {
        const result = await this.store.appendToStream(streamIdFor(oppdragId), toAppend, {
          expectedRevision: loaded.revision,
        });
        return {
          oppdragId,
          events,
          revision: result.nextExpectedRevision,
          position: result.position,
          state: fold(events, loaded.state),
          duplicate: false,
        };
      } catch (error) {
        if (error instanceof EventStoreError && error.code === 'CONFLICT') {
          if (options.expectedRevision === undefined && attempt < this.maxAttempts) continue;
          throw new DomainError(
            'CONFLICT',
            `oppdrag ${oppdragId} kept changing while the command was handled; try again`,
          );
        }
        throw error;
      }
    }
  }

  private toAppend(
    event: OppdragEvent,
    index: number,
    command: OppdragCommand,
    metadata: CommandMetadata,
    now: string,
  ): EventToAppend {
    const encoded = encodeEvent(event);
    const eventMetadata: OppdragEventMetadata = {
      recordedAt: now,
      actor: metadata.actor,
      commandId: metadata.commandId,
      commandType: command.type,
      correlationId: metadata.correlationId ?? metadata.commandId,
      causationId: metadata.causationId ?? metadata.commandId,
    };
    return {
      id: eventIdFor(metadata.commandId, index),
      type: encoded.type,
      data: encoded.data,
      metadata: eventMetadata,
    };
  }
}

function repeatOf(
  oppdragId: string,
  earlier: readonly StoredOppdragEvent[],
  state: OppdragState,
): CommandResult {
  const last = earlier[earlier.length - 1] as StoredOppdragEvent;
  return {
    oppdragId,
    events: earlier.map((e) => e.event),
    revision: last.revision,
    position: last.position,
    state,
    duplicate: true,
  };
}
