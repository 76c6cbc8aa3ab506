import type { ExpectedRevision, Position } from './port.js';

export type EventStoreErrorCode = 'CONFLICT' | 'VALIDATION' | 'UNAVAILABLE' | 'CORRUPT';

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
