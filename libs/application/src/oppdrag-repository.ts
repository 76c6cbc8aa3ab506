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

/**
 * Reads and folds one oppdrag's stream, optionally as it stood at an instant. As-of is defined by the
 * stream's order, not by clocks: the stream is cut before its first event recorded after the instant, so
 * the answer is always a state the stream really passed through (revision N with every event up to N),
 * even if an instance with a clock running behind recorded a later event with an earlier time.
 */
export async function loadOppdrag(
  store: EventStore,
  oppdragId: string,
  options: { readonly asOf?: string } = {},
): Promise<LoadedOppdrag> {
  const recorded = await store.readStream(streamIdFor(oppdragId));
  const asOf = options.asOf === undefined ? null : Date.parse(options.asOf);
  const cut = asOf === null ? recorded.length : recorded.findIndex((e) => Date.parse(e.recordedAt) > asOf);
  const events = (cut === -1 ? recorded : recorded.slice(0, cut)).map(toStoredOppdragEvent);
  const state = fold(
    events.map((e) => e.event),
    initialState(),
  );
  const last = events[events.length - 1];
  return { state, revision: last ? last.revision : 'no_stream', events };
}

export { encodeEvent };
