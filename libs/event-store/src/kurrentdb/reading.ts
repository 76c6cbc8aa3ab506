/** Reads of one stream and of $all, paged and each answer held to the deadline. */
import {
  BACKWARDS,
  END,
  FORWARDS,
  START,
  StreamNotFoundError,
  type Direction,
  type ReadPosition,
} from '@kurrent/kurrentdb-client';
import { UnreadableEventError } from '../errors.js';
import { comparePositions, type Position, type RecordedEvent } from '../port.js';
import type { Deadline, ServedStreams } from './connection.js';
import type { KurrentDbClient } from './options.js';
import { toRecorded, type ClientRecordedEvent } from './records.js';

/** How many events a read asks for when the first page did not hold enough served events. */
const FOLLOW_UP_PAGE = 100;
/** How many events a stream read asks for at a time when it has to filter by instant or read it whole. */
const STREAM_PAGE = 1000;

/** A stream read with its options checked: revisions `from`..`to`, recorded by `toInstant` (ms) if given. */
export interface StreamRange {
  readonly from: number;
  readonly to: number;
  readonly toInstant: number | null;
  readonly maxCount: number;
}

export class KurrentDbReader {
  constructor(
    private readonly client: KurrentDbClient,
    private readonly deadline: Deadline,
    private readonly served: ServedStreams,
  ) {}

  async readStream(stream: string, { from, to, toInstant, maxCount }: StreamRange): Promise<RecordedEvent[]> {
    const found: RecordedEvent[] = [];
    let next = from;
    while (found.length < maxCount && next <= to) {
      const wanted = Math.min(toInstant === null ? maxCount - found.length : STREAM_PAGE, to - next + 1);
      const page = await this.readStreamPage(stream, next, wanted);
      for (const event of page) {
        if (event.revision > to) break;
        if (toInstant !== null && Date.parse(event.recordedAt) > toInstant) continue;
        found.push(event);
        if (found.length === maxCount) break;
      }
      const last = page[page.length - 1];
      if (page.length < wanted || last === undefined) break;
      next = last.revision + 1;
    }
    return found;
  }

  async readAll(after: Position | null, maxCount: number): Promise<RecordedEvent[]> {
    const found: RecordedEvent[] = [];
    // The client's fromPosition is inclusive: ask for one more, the event at `after` is dropped.
    const firstPage = after === null ? maxCount : maxCount + 1;
    for await (const event of this.scanAll(FORWARDS, after, firstPage)) {
      try {
        found.push(toRecorded(event));
      } catch (error) {
        // An event that cannot be decoded ends the answer before it, and is raised when it comes first.
        if (error instanceof UnreadableEventError && found.length > 0) break;
        throw error;
      }
      if (found.length === maxCount) break;
    }
    return found;
  }

  /** The position of the last served event, or null when the store holds none. */
  async readHead(): Promise<Position | null> {
    for await (const event of this.scanAll(BACKWARDS, null, 1)) {
      return toRecorded(event).position;
    }
    return null;
  }

  /** Reads up to `count` events of a stream from a revision; a stream that does not exist has none. */
  async readStreamPage(stream: string, fromRevision: number, count: number): Promise<RecordedEvent[]> {
    const page: RecordedEvent[] = [];
    try {
      const events = this.client.readStream(stream, {
        direction: FORWARDS,
        fromRevision: BigInt(fromRevision),
        maxCount: count,
        resolveLinkTos: false,
      });
      for await (const resolved of this.deadline.bounded(`a read of ${stream}`, events)) {
        if (resolved.event) page.push(toRecorded(resolved.event));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return page;
  }

  /** Every event of a stream, paging as needed; none when it does not exist. */
  async readWholeStream(stream: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for (;;) {
      const page = await this.readStreamPage(stream, events.length, STREAM_PAGE);
      events.push(...page);
      if (page.length < STREAM_PAGE) return events;
    }
  }

  /**
   * The served events of $all strictly beyond `from` in `direction`, paging as needed. The server filters
   * by prefix; the adapter filters again, and drops the event at `from` (the client's start is inclusive).
   */
  private async *scanAll(
    direction: Direction,
    from: Position | null,
    firstPage: number,
  ): AsyncGenerator<ClientRecordedEvent, void, undefined> {
    let boundary = from;
    let pageSize = firstPage;
    for (;;) {
      const start: ReadPosition =
        boundary === null ? (direction === FORWARDS ? START : END) : { ...boundary };
      const page = this.client.readAll({
        direction,
        fromPosition: start,
        maxCount: pageSize,
        filter: this.served.filter(),
        resolveLinkTos: false,
      });
      let read = 0;
      let last: Position | null = null;
      for await (const resolved of this.deadline.bounded('a read of $all', page)) {
        read += 1;
        const event = resolved.event as ClientRecordedEvent | undefined;
        const position = event?.position;
        if (!event || !position) continue;
        last = position;
        if (boundary !== null) {
          const order = comparePositions(position, boundary);
          if (direction === FORWARDS ? order <= 0 : order >= 0) continue;
        }
        if (this.served.serves(event)) yield event;
      }
      if (read < pageSize || last === null) return;
      boundary = last;
      pageSize = Math.max(pageSize, FOLLOW_UP_PAGE);
    }
  }
}
