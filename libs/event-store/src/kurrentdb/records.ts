/**
 * The client's values in the port's terms and back: recorded events (data, metadata, position), revisions
 * and stream states.
 */
import { ANY, NO_STREAM, type AppendStreamState, type CurrentStreamState } from '@kurrent/kurrentdb-client';
import { EventStoreError, InvalidAppendError, UnreadableEventError } from '../errors.js';
import type { EventMetadata, ExpectedRevision, RecordedEvent } from '../port.js';

/** The event shape the client yields, for every read and subscription. */
export interface ClientRecordedEvent {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly isJson: boolean;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position?: { readonly commit: bigint; readonly prepare: bigint } | undefined;
}

export interface ClientResolvedEvent {
  readonly event?: ClientRecordedEvent | undefined;
}

/** The port's event from the client's, or an error saying why the stored event cannot be read. */
export function toRecorded(event: ClientRecordedEvent): RecordedEvent {
  const at = `event ${event.id} in ${event.streamId}`;
  /** An event that cannot be decoded: unreadable where its place in the log is known, else corrupt. */
  const undecodable = (reason: string): EventStoreError =>
    event.position
      ? new UnreadableEventError(
          {
            id: event.id,
            streamId: event.streamId,
            type: event.type,
            position: { commit: event.position.commit, prepare: event.position.prepare },
          },
          reason,
        )
      : new EventStoreError('CORRUPT', `${at} ${reason}`);
  if (!event.isJson || !isPlainObject(event.data))
    throw undecodable('does not hold a JSON object as its data');
  const metadata = event.metadata;
  if (
    !isPlainObject(metadata) ||
    typeof metadata.recordedAt !== 'string' ||
    Number.isNaN(Date.parse(metadata.recordedAt))
  ) {
    throw undecodable('has no JSON metadata with a recordedAt instant');
  }
  if (!event.position) {
    throw new EventStoreError(
      'CORRUPT',
      `${at} came without a log position (KurrentDB 22.6 or later is required)`,
    );
  }
  return {
    id: event.id,
    streamId: event.streamId,
    revision: toSafeNumber(event.revision, 'revision'),
    position: { commit: event.position.commit, prepare: event.position.prepare },
    type: event.type,
    data: event.data,
    metadata: fromStoredMetadata(metadata) as EventMetadata,
    recordedAt: new Date(Date.parse(metadata.recordedAt)).toISOString(),
  };
}

export function toStreamState(expected: ExpectedRevision): AppendStreamState {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  return BigInt(expected);
}

export function fromClientState(state: AppendStreamState): ExpectedRevision {
  if (typeof state === 'bigint') return state < 0n ? 'no_stream' : toSafeNumber(state, 'revision');
  return state === NO_STREAM ? 'no_stream' : 'any';
}

export function toActualRevision(state: CurrentStreamState): number | 'no_stream' {
  if (typeof state === 'bigint' && state >= 0n) return toSafeNumber(state, 'revision');
  return 'no_stream';
}

export function toSafeNumber(value: bigint, what: string): number {
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new EventStoreError(
      'CORRUPT',
      `KurrentDB reported a ${what} of ${value}, beyond what this store handles`,
    );
  }
  return Number(value);
}

/**
 * The metadata fields KurrentDB gives a meaning of its own (its projections, `$by_correlation_id` among
 * them, read them), under the port's name and the server's.
 */
const SERVER_METADATA_NAMES = [
  ['correlationId', '$correlationId'],
  ['causationId', '$causationId'],
] as const;

/**
 * The metadata as KurrentDB keeps it: a correlation or causation id (a string, as the server reads it)
 * under the server's name. The server's names themselves are refused: they would be read back under the
 * port's.
 */
export function toStoredMetadata(metadata: Record<string, unknown>, index: number): Record<string, unknown> {
  const stored = { ...metadata };
  for (const [portName, serverName] of SERVER_METADATA_NAMES) {
    if (serverName in stored) {
      throw new InvalidAppendError(
        `events[${index}].metadata.${serverName}`,
        `is the store's own name for ${portName}: give ${portName}`,
      );
    }
    const value = stored[portName];
    if (typeof value !== 'string') continue;
    delete stored[portName];
    stored[serverName] = value;
  }
  return stored;
}

/**
 * The metadata under the port's names: the server's names, and the port's, under which events were stored
 * before the adapter used the server's (and which it still uses for an id that is not a string). An event
 * that holds both keeps both.
 */
function fromStoredMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  const read = { ...metadata };
  for (const [portName, serverName] of SERVER_METADATA_NAMES) {
    if (!(serverName in read) || portName in read) continue;
    read[portName] = read[serverName];
    delete read[serverName];
  }
  return read;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}
