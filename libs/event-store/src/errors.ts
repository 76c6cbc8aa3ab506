import { formatPosition, type ExpectedRevision, type Position } from './port.js';

/**
 * CONFLICT: the stream moved on since it was read. VALIDATION: the request itself is refused; sending it
 * again cannot help. UNAVAILABLE: the store cannot answer now; try again. ACCESS_DENIED: the store
 * refuses this client (its credentials or ACLs). CORRUPT: the store holds or says what it should not.
 */
export type EventStoreErrorCode = 'CONFLICT' | 'VALIDATION' | 'UNAVAILABLE' | 'ACCESS_DENIED' | 'CORRUPT';

/** The port's own errors: adapters translate their client's errors into these, once. */
export class EventStoreError extends Error {
  constructor(
    readonly code: EventStoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EventStoreError';
  }
}

/** The stream was not at the revision the writer read. */
export class WrongExpectedRevisionError extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
    options?: { cause?: unknown },
  ) {
    super(
      'CONFLICT',
      `stream ${streamId} is at revision ${String(actual)}, not ${String(expected)}: it changed since it was read`,
      options,
    );
    this.name = 'WrongExpectedRevisionError';
  }
}

/** Bad input at the store boundary: nothing was written. */
export class InvalidAppendError extends EventStoreError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('VALIDATION', `${field}: ${message}`);
    this.name = 'InvalidAppendError';
  }
}

export class StoreUnavailableError extends EventStoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('UNAVAILABLE', message, options);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * Another process held the store's write lock for longer than the writer would wait: nothing of the
 * append was stored, and sending it again later can succeed. Its message is fit to show a client.
 */
export class StoreBusyError extends StoreUnavailableError {
  constructor(waitedMs: number | null, options?: { cause?: unknown }) {
    super(
      `the event store is busy: another process holds the write lock${
        waitedMs === null ? '' : ` (waited ${waitedMs} ms)`
      }; nothing was stored, try again`,
      options,
    );
    this.name = 'StoreBusyError';
  }
}

/**
 * A subscription was asked to start after a position the store does not have: the store holds less than
 * the subscriber has seen (restored from an older backup, or another store). Whatever was built from
 * the old history must be rebuilt from this one.
 */
export class CheckpointBeyondHeadError extends EventStoreError {
  constructor(
    readonly checkpoint: Position,
    readonly head: Position | null,
  ) {
    super(
      'CORRUPT',
      `the checkpoint ${formatPosition(checkpoint)} is beyond the last event in the event store (${
        head === null ? 'it is empty' : formatPosition(head)
      }): the store was restored from an older backup or is another store, and events after its last one would be skipped. Rebuild the read models from the store.`,
    );
    this.name = 'CheckpointBeyondHeadError';
  }
}

/** Where an event that cannot be decoded sits, so that a reader can skip exactly that one. */
export interface UnreadableEventAt {
  readonly id: string;
  readonly streamId: string;
  readonly type: string;
  readonly position: Position;
}

/**
 * A stored event whose payload cannot be decoded (not JSON, no metadata). `readAll` and subscriptions
 * deliver every event before it first and raise this only when it is the next one, so a reader that
 * decides to skip it resumes after {@link UnreadableEventError.event}'s position and loses nothing else.
 */
export class UnreadableEventError extends EventStoreError {
  constructor(
    readonly event: UnreadableEventAt,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      'CORRUPT',
      `event ${event.id} in ${event.streamId} at position ${event.position.commit} (${event.type}) cannot be read: ${reason}`,
      options,
    );
    this.name = 'UnreadableEventError';
  }
}
