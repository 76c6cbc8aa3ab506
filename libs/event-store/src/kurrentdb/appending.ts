/**
 * Appends that keep the port's idempotency promise where the server does not (see the store's class
 * comment): the adapter looks for the append's ids in the stream before it writes, whatever revision the
 * append expects, and never sends `any`.
 */
import {
  NO_STREAM,
  WrongExpectedVersionError,
  jsonEvent,
  type AppendResult as ClientAppendResult,
  type AppendStreamState,
  type EventData,
} from '@kurrent/kurrentdb-client';
import { EventStoreError, InvalidAppendError, WrongExpectedRevisionError } from '../errors.js';
import type { AppendResult, ExpectedRevision, RecordedEvent } from '../port.js';
import { reusedIdsMessage, type SerialisedEvent } from '../validation.js';
import type { Deadline } from './connection.js';
import { isReconnection } from './error-mapping.js';
import type { KurrentDbClient } from './options.js';
import type { KurrentDbReader } from './reading.js';
import { toActualRevision, toSafeNumber, toStoredMetadata, toStreamState } from './records.js';

/** How many times an append with `any` reads the stream again when another writer came first. */
const ANY_ATTEMPTS = 20;

export class KurrentDbAppender {
  constructor(
    private readonly client: KurrentDbClient,
    private readonly deadline: Deadline,
    private readonly reader: KurrentDbReader,
  ) {}

  /** Appends checked, serialised events to a served stream; errors are the client's, untranslated. */
  async append(
    stream: string,
    serialised: readonly SerialisedEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const proposed = serialised.map((event, index) =>
      jsonEvent({
        id: event.id,
        type: event.type,
        data: JSON.parse(event.data) as Record<string, unknown>,
        metadata: toStoredMetadata(JSON.parse(event.metadata) as Record<string, unknown>, index),
      }),
    );
    try {
      return await this.appendChecked(stream, serialised, proposed, expected);
    } catch (error) {
      // After a leader change (or a reset connection) the client has already picked the node to talk
      // to next, and the same event ids make a second attempt safe: it is recognised if the first
      // one was written after all.
      if (!isReconnection(error)) throw error;
      return await this.appendChecked(stream, serialised, proposed, expected);
    }
  }

  /**
   * One attempt at an append that keeps the port's idempotency promise where the server does not: the
   * server recognises a retry only when its events sit right after the revision it expects (or, with
   * `any`, while their ids are in its cache of recent writes), and writes them again otherwise. Nor does
   * its answer say which it did: a recognised retry is answered as the first append was (its revision
   * and position), just as a new write is, so not even a retried first append (`no_stream`) can be told
   * from the first one by the answer. So the adapter looks for the ids in the stream first, whatever the
   * append expects, and never sends `any`: it appends at the revision it read instead, reading again
   * when another writer came first.
   */
  private async appendChecked(
    stream: string,
    events: readonly SerialisedEvent[],
    proposed: readonly EventData[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      const stored = await this.reader.readWholeStream(stream);
      const previous = findAppend(stream, stored, events);
      if (previous) return previous;
      let state: AppendStreamState = toStreamState(expected);
      if (expected === 'any') state = stored.length === 0 ? NO_STREAM : BigInt(stored.length - 1);
      let result: ClientAppendResult;
      try {
        result = await this.deadline.answer(
          `an append to ${stream}`,
          // The client bounds the call itself only when it appends through grpc-js's unary call; through a
          // batch append it tells the server the deadline but waits for its answer for ever.
          this.client.appendToStream(stream, [...proposed], {
            streamState: state,
            deadline: this.deadline.ms,
          }),
        );
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        const previous = findAppend(stream, await this.reader.readWholeStream(stream), events);
        if (previous) return previous;
        if (expected === 'any' && attempt < ANY_ATTEMPTS) continue;
        throw error;
      }
      if (!result.success) {
        // Only a client built with throwOnAppendFailure=false answers a conflict like this.
        const previous = findAppend(stream, await this.reader.readWholeStream(stream), events);
        if (previous) return previous;
        if (expected === 'any' && attempt < ANY_ATTEMPTS) continue;
        throw new WrongExpectedRevisionError(stream, expected, toActualRevision(result.nextExpectedRevision));
      }
      return await this.completeAppend(stream, events, result);
    }
  }

  /** The result of an accepted append, with the position looked up when the server gave none. */
  private async completeAppend(
    stream: string,
    events: readonly SerialisedEvent[],
    result: ClientAppendResult,
  ): Promise<AppendResult> {
    const nextExpectedRevision = toSafeNumber(result.nextExpectedRevision, 'revision');
    if (result.position) {
      return {
        nextExpectedRevision,
        position: { commit: result.position.commit, prepare: result.position.prepare },
      };
    }
    // The server answers a recognised retry without a position when it cannot read its last event back
    // (IndexWriter.CheckCommit), and a new write always with one: so this is a retry whose events were
    // stored after the adapter looked (another attempt of the same append, racing this one). Find them.
    const first = nextExpectedRevision - events.length + 1;
    const stored = first >= 0 ? await this.reader.readStreamPage(stream, first, events.length) : [];
    const same = stored.length === events.length && stored.every((event, i) => event.id === events[i]?.id);
    if (!same) {
      throw new EventStoreError(
        'CORRUPT',
        `KurrentDB accepted an append to ${stream} at revision ${nextExpectedRevision} but its events are not stored there`,
      );
    }
    return {
      nextExpectedRevision,
      position: (stored[stored.length - 1] as RecordedEvent).position,
      repeated: true,
    };
  }
}

/**
 * The earlier append these events repeat, if the stream holds them all, one after the other in this
 * order; null when it holds none of them. Holding only some is a reuse of ids, refused (see the port).
 */
function findAppend(
  stream: string,
  stored: readonly RecordedEvent[],
  events: readonly SerialisedEvent[],
): AppendResult | null {
  const byId = new Map(stored.map((event) => [event.id, event]));
  const found = events.map((event) => byId.get(event.id));
  if (found.every((event) => event === undefined)) return null;
  const first = found[0];
  for (const [index, event] of found.entries()) {
    if (!first || !event || event.revision !== first.revision + index) {
      throw new InvalidAppendError('events.id', reusedIdsMessage(stream));
    }
  }
  const last = found[found.length - 1] as RecordedEvent;
  return { nextExpectedRevision: last.revision, position: last.position, repeated: true };
}
