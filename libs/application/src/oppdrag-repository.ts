import { encodeEvent, fold, initialState, streamIdFor, type OppdragState } from '#domain';
import type { EventStore } from '#event-store';
import { toStoredOppdragEvent, type StoredOppdragEvent } from './stored-events.js';

export interface LoadedOppdrag {
  readonly state: OppdragState;
  /** The revision of the last event read, or `no_stream`. */
  readonly revision: number | 'no_stream';
  readonly events: readonly StoredOppdragEvent[];
}

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
