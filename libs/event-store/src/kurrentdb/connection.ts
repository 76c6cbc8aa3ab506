/**
 * The line to the server: the client from a connection string, the streams this store serves, and the
 * deadline every call to the server is held to.
 */
import { KurrentDBClient, streamNameFilter, type PrefixesFilter } from '@kurrent/kurrentdb-client';
import { InvalidAppendError, StoreUnavailableError } from '../errors.js';
import { validateStreamId } from '../validation.js';
import type { KurrentDbClient } from './options.js';

/**
 * The default deadline: the client's own default for the calls it bounds. The client sets none on reads
 * (its Rust bridge takes no deadline) nor on a batch append's stream, whose deadline only the server is
 * told of, so the adapter keeps its own.
 */
export const DEFAULT_DEADLINE_MS = 10_000;

export function connect(connectionString: string): KurrentDbClient {
  try {
    return KurrentDBClient.connectionString(connectionString);
  } catch (error) {
    throw new StoreUnavailableError(
      `the KurrentDB connection string is not valid: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/** The longest the adapter waits for one answer of the server; past it the call fails with UNAVAILABLE. */
export class Deadline {
  readonly ms: number;

  constructor(ms: number) {
    // setTimeout takes at most 2^31 - 1 ms.
    if (!Number.isInteger(ms) || ms < 1 || ms > 2 ** 31 - 1) {
      throw new RangeError(
        `deadlineMs must be a whole number of milliseconds from 1 to ${2 ** 31 - 1} (got ${String(ms)})`,
      );
    }
    this.ms = ms;
  }

  passed(what: string): StoreUnavailableError {
    return new StoreUnavailableError(`KurrentDB did not answer ${what} within the deadline of ${this.ms} ms`);
  }

  /**
   * Waits for one answer of the server, or fails with UNAVAILABLE once the deadline has passed. An answer
   * that comes later is dropped.
   */
  async answer<T>(what: string, pending: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(this.passed(what)), this.ms);
    });
    try {
      return await Promise.race([pending, expired]);
    } finally {
      clearTimeout(timer);
      pending.catch(() => undefined);
    }
  }

  /**
   * One read of the client, each of its answers within the deadline. The client's Rust bridge sets no
   * deadline on reads, and a read the server never answers would wait for ever.
   */
  async *bounded<T>(what: string, read: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
    const iterator = read[Symbol.asyncIterator]();
    let done = false;
    try {
      for (;;) {
        const next = await this.answer(what, iterator.next());
        if (next.done === true) {
          done = true;
          return;
        }
        yield next.value;
      }
    } finally {
      // A caller that stops early ends the client's read. Not awaited: after a deadline the client's
      // generator is still waiting for the server, and would end only then.
      if (!done) void Promise.resolve(iterator.return?.()).catch(() => undefined);
    }
  }
}

/** The stream prefixes a store serves: what it reads back, and the only streams it writes. */
export class ServedStreams {
  readonly prefixes: readonly string[];

  constructor(prefixes: readonly string[]) {
    const given: readonly unknown[] = Array.isArray(prefixes) ? prefixes : [];
    if (given.length === 0) throw new RangeError('streamPrefixes needs at least one prefix');
    const list: string[] = [];
    for (const prefix of given) {
      if (typeof prefix !== 'string' || prefix.length === 0 || prefix.startsWith('$')) {
        throw new RangeError(
          `"${String(prefix)}" is not a stream prefix: it must be non-empty and not start with $`,
        );
      }
      list.push(prefix);
    }
    this.prefixes = Object.freeze(list);
  }

  /** A product event: in a served stream, and neither a system stream nor a system event. */
  serves(event: { readonly streamId: string; readonly type: string }): boolean {
    return (
      !event.streamId.startsWith('$') &&
      !event.type.startsWith('$') &&
      this.prefixes.some((prefix) => event.streamId.startsWith(prefix))
    );
  }

  /** The server-side filter of $all reads and subscriptions. */
  filter(): PrefixesFilter {
    return streamNameFilter({ prefixes: [...this.prefixes] });
  }

  /** A valid stream id this store serves, or an InvalidAppendError naming the field and the rule. */
  validate(streamId: string): string {
    const stream = validateStreamId(streamId);
    if (!this.prefixes.some((prefix) => stream.startsWith(prefix))) {
      throw new InvalidAppendError(
        'streamId',
        `"${stream}" is outside the streams this store serves (${this.prefixes.join(', ')}): it would never be read back`,
      );
    }
    return stream;
  }
}
