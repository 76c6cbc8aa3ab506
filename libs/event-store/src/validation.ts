import { InvalidAppendError } from './errors.js';
import { MAX_EVENT_BYTES, MAX_EVENTS_PER_APPEND, type EventToAppend, type ExpectedRevision } from './port.js';

/** `category-id`: a lower-case category, a dash, and an id of lower-case letters, digits and dashes. */
export const STREAM_ID_PATTERN = /^[a-z][a-z0-9]{0,39}-[a-z0-9][a-z0-9-]{0,119}$/;
const EVENT_TYPE_PATTERN = /^[A-Z][A-Za-z0-9]{0,99}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function validateStreamId(streamId: unknown): string {
  if (typeof streamId !== 'string' || !STREAM_ID_PATTERN.test(streamId)) {
    throw new InvalidAppendError(
      'streamId',
      `"${String(streamId).slice(0, 80)}" is not a stream id of the form category-id`,
    );
  }
  return streamId;
}

export function validateExpectedRevision(expected: unknown): ExpectedRevision {
  if (expected === 'any' || expected === 'no_stream') return expected;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) return expected;
  throw new InvalidAppendError(
    'expectedRevision',
    'must be a revision (a whole number from 0), "no_stream" or "any"',
  );
}

/** An event ready to store: its JSON serialised once, its instant normalised. */
export interface SerialisedEvent {
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
  readonly recordedAt: string;
}

/** Checks and serialises a whole append before anything is written. */
export function serialiseAppend(events: readonly EventToAppend[]): SerialisedEvent[] {
  const list: unknown = events;
  if (!Array.isArray(list) || events.length === 0)
    throw new InvalidAppendError('events', 'an append needs at least one event');
  if (events.length > MAX_EVENTS_PER_APPEND) {
    throw new InvalidAppendError('events', `an append carries at most ${MAX_EVENTS_PER_APPEND} events`);
  }
  const ids = new Set<string>();
  return events.map((event, index) => {
    const at = `events[${index}]`;
    if (typeof event !== 'object' || event === null) throw new InvalidAppendError(at, 'must be an object');
    if (typeof event.id !== 'string' || !UUID_PATTERN.test(event.id))
      throw new InvalidAppendError(`${at}.id`, 'must be a lower-case UUID');
    if (ids.has(event.id)) throw new InvalidAppendError(`${at}.id`, 'is used twice in one append');
    ids.add(event.id);
    if (typeof event.type !== 'string' || !EVENT_TYPE_PATTERN.test(event.type)) {
      throw new InvalidAppendError(`${at}.type`, 'must be a PascalCase name of letters and digits');
    }
    if (typeof event.data !== 'object' || event.data === null || Array.isArray(event.data)) {
      throw new InvalidAppendError(`${at}.data`, 'must be a JSON object');
    }
    if (typeof event.metadata !== 'object' || event.metadata === null || Array.isArray(event.metadata)) {
      throw new InvalidAppendError(`${at}.metadata`, 'must be a JSON object');
    }
    const ms = typeof event.metadata.recordedAt === 'string' ? Date.parse(event.metadata.recordedAt) : NaN;
    if (Number.isNaN(ms)) throw new InvalidAppendError(`${at}.metadata.recordedAt`, 'must be an ISO instant');
    const recordedAt = new Date(ms).toISOString();
    const data = stringify(`${at}.data`, event.data);
    const metadata = stringify(`${at}.metadata`, { ...event.metadata, recordedAt });
    const bytes = Buffer.byteLength(data) + Buffer.byteLength(metadata);
    if (bytes > MAX_EVENT_BYTES) {
      throw new InvalidAppendError(at, `is ${bytes} bytes; an event may have at most ${MAX_EVENT_BYTES}`);
    }
    return { id: event.id, type: event.type, data, metadata, recordedAt };
  });
}

function stringify(field: string, value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    throw new InvalidAppendError(field, `cannot be stored as JSON (${(error as Error).message})`);
  }
}
