import {
  decodeEvent,
  encodeEvent,
  fold,
  initialState,
  oppdragIdFromStream,
  streamIdFor,
  OPPDRAG_STREAM_PREFIX,
  type Actor,
  type OppdragEvent,
  type OppdragState,
} from '#domain';
import type { EventMetadata, EventStore, Position, RecordedEvent } from '#event-store';

/** The metadata every stored oppdrag event carries. */
export interface OppdragEventMetadata extends EventMetadata {
  readonly actor: Actor;
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly commandType: string;
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

export interface LoadedOppdrag {
  readonly state: OppdragState;
  /** The revision of the last event read, or `no_stream`. */
  readonly revision: number | 'no_stream';
  readonly events: readonly StoredOppdragEvent[];
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

/** Reads and folds one oppdrag's stream, optionally as it stood at an instant. */
export async function loadOppdrag(
  store: EventStore,
  oppdragId: string,
  options: { readonly asOf?: string } = {},
): Promise<LoadedOppdrag> {
  const recorded = await store.readStream(
    streamIdFor(oppdragId),
    options.asOf ? { toInstant: options.asOf } : {},
  );
  const events = recorded.map(toStoredOppdragEvent);
  const state = fold(
    events.map((e) => e.event),
    initialState(),
  );
  const last = events[events.length - 1];
  return { state, revision: last ? last.revision : 'no_stream', events };
}

export { encodeEvent };
