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
  const serialised = new Array<SerialisedEvent>(events.length);
  for (let index = 0; index < events.length; index++) {
    serialised[index] = serialiseEvent(events[index] as EventToAppend, index, serialised);
  }
  return serialised;
}

/** `YYYY-MM-DDTHH:mm:ss.sssZ` with a month, minute and second in range, a day up to 28, an hour up to 23. */
const NORMAL_INSTANT =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/**
 * Whether an instant is already what `toISOString` gives for it, so that parsing and formatting it can be
 * skipped: every field is in range, and days up to 28 and hours up to 23 cannot roll over into the next
 * month or day (`Date.parse` rolls a day past the month's end, or hour 24, over). Instants in this form
 * compare as text in the order of time.
 */
export function isNormalInstant(text: string): boolean {
  return text.length === 24 && NORMAL_INSTANT.test(text);
}

/** An instant in the form the store keeps (`toISOString`'s), or null when `text` is no ISO instant. */
export function normalInstant(text: unknown): string | null {
  if (typeof text !== 'string') return null;
  if (isNormalInstant(text)) return text;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** A string of this many UTF-16 code units has at most three times as many bytes in UTF-8. */
const MAX_UTF8_BYTES_PER_UNIT = 3;

/** Checks and serialises the `index`-th event of an append; `before` holds the events before it. */
function serialiseEvent(
  event: EventToAppend,
  index: number,
  before: readonly SerialisedEvent[],
): SerialisedEvent {
  // Field names are built only when a check fails.
  const at = (field = ''): string => `events[${index}]${field}`;
  if (typeof event !== 'object' || event === null) throw new InvalidAppendError(at(), 'must be an object');
  if (typeof event.id !== 'string' || !UUID_PATTERN.test(event.id))
    throw new InvalidAppendError(at('.id'), 'must be a lower-case UUID');
  for (let other = 0; other < index; other++) {
    if ((before[other] as SerialisedEvent).id === event.id)
      throw new InvalidAppendError(at('.id'), 'is used twice in one append');
  }
  if (typeof event.type !== 'string' || !EVENT_TYPE_PATTERN.test(event.type)) {
    throw new InvalidAppendError(at('.type'), 'must be a PascalCase name of letters and digits');
  }
  if (typeof event.data !== 'object' || event.data === null || Array.isArray(event.data)) {
    throw new InvalidAppendError(at('.data'), 'must be a JSON object');
  }
  const given = event.metadata;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new InvalidAppendError(at('.metadata'), 'must be a JSON object');
  }
  const instant = given.recordedAt;
  const recordedAt = normalInstant(instant);
  if (recordedAt === null) throw new InvalidAppendError(at('.metadata.recordedAt'), 'must be an ISO instant');
  // Metadata whose instant is already in normal form is stored as given; otherwise with the normal form.
  const metadataToStore =
    recordedAt === instant && Object.getPrototypeOf(given) === Object.prototype
      ? given
      : { ...given, recordedAt };
  const data = stringify(event.data, at, '.data');
  const metadata = stringify(metadataToStore, at, '.metadata');
  if ((data.length + metadata.length) * MAX_UTF8_BYTES_PER_UNIT > MAX_EVENT_BYTES) {
    const bytes = Buffer.byteLength(data) + Buffer.byteLength(metadata);
    if (bytes > MAX_EVENT_BYTES) {
      throw new InvalidAppendError(at(), `is ${bytes} bytes; an event may have at most ${MAX_EVENT_BYTES}`);
    }
  }
  return { id: event.id, type: event.type, data, metadata, recordedAt };
}

function stringify(value: unknown, at: (field: string) => string, field: string): string {
  let text: unknown;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new InvalidAppendError(at(field), `cannot be stored as JSON (${(error as Error).message})`);
  }
  // An object whose toJSON gives undefined (or a function) has no JSON at all.
  if (typeof text !== 'string') throw new InvalidAppendError(at(field), 'cannot be stored as JSON');
  return text;
}

/** The refusal of an append that shares some, not all, of its event ids with an earlier one. */
export function reusedIdsMessage(streamId: string): string {
  return `the append reuses event ids that ${streamId} holds from a different append: a retry must repeat the whole append`;
}
