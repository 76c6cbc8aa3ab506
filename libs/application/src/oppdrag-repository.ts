import { encodeEvent, fold, initialState, streamIdFor, type OppdragState } from '#domain';
import type { EventStore } from '#event-store';
import { toStoredOppdragEvent, type StoredOppdragEvent } from './stored-events.js';

export interface LoadedOppdrag {
  readonly state: OppdragState;
  /** The revision of the last event read, or `no_stream`. */
  readonly revision: number | 'no_stream';
  readonly events: readonly StoredOppdragEvent[];
}

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
