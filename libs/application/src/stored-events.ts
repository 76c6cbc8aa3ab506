/**
 * The read side of the oppdrag streams: what a stored oppdrag event is and how it is decoded. Projections
 * import this module alone (`#application/stored-events.js`), never the barrel, so that the dependency
 * rules can tell reading events from handling commands.
 */
import {
  decodeEvent,
  oppdragIdFromStream,
  OPPDRAG_STREAM_PREFIX,
  type Actor,
  type OppdragEvent,
} from '#domain';
import type { EventMetadata, Position, RecordedEvent } from '#event-store';

/** The metadata every stored oppdrag event carries. */
export interface OppdragEventMetadata extends EventMetadata {
  readonly actor: Actor;
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly commandType: string;
  /** The digest of the command's type and data (see `commandDigest`); absent on events stored before it was kept. */
  readonly commandDigest?: string;
}

/** A stored oppdrag event: the domain event with where and when it was stored and by whom. */
export interface StoredOppdragEvent {
  readonly event: OppdragEvent;
  readonly oppdragId: string;
  readonly revision: number;
  readonly position: Position;
  readonly eventId: string;
  readonly metadata: OppdragEventMetadata;
  readonly recordedAt: string;
}

/** Decodes a stored event of an oppdrag stream (upcasting older payloads). */
export function toStoredOppdragEvent(recorded: RecordedEvent): StoredOppdragEvent {
  return {
    event: decodeEvent(recorded.type, recorded.data),
    oppdragId: oppdragIdFromStream(recorded.streamId),
    revision: recorded.revision,
    position: recorded.position,
    eventId: recorded.id,
    metadata: recorded.metadata as OppdragEventMetadata,
    recordedAt: recorded.recordedAt,
  };
}

export const isOppdragStream = (streamId: string): boolean => streamId.startsWith(OPPDRAG_STREAM_PREFIX);
