/** The client's errors translated once into the port's own (see `../errors.ts`). */
import {
  AccessDeniedError,
  AppendRecordSizeExceededError,
  CancelledError,
  DeadlineExceededError,
  InvalidArgumentError,
  InvalidTransactionError,
  MaxAppendSizeExceededError,
  NotLeaderError,
  StreamDeletedError,
  StreamTombstonedError,
  TimeoutError,
  TransactionMaxSizeExceededError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
  convertToCommandError,
  isCommandError,
} from '@kurrent/kurrentdb-client';
import {
  EventStoreError,
  InvalidAppendError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from '../errors.js';
import type { ExpectedRevision } from '../port.js';
import { fromClientState, toActualRevision } from './records.js';

/**
 * Whether the client gave up on the node it talked to and will pick one again for the next call: a
 * leader change (it was told the new leader) or a node it can no longer reach.
 */
export function isReconnection(error: unknown): boolean {
  return error instanceof NotLeaderError || error instanceof UnavailableError;
}

/**
 * What the server said, in the words the client kept. The client turns the refusals its generated code
 * has no type for into an UnknownError: inside a batch append it keeps only `Could not recognize
 * <status message>` (KurrentDB's `Status` helpers name the refusal there), from a single append only
 * the gRPC status.
 */
function unknownRefusal(error: UnknownError): 'busy' | 'bad-request' | 'too-large' | null {
  const details = (error as { details?: unknown }).details;
  const text = `${error.message} ${typeof details === 'string' ? details : ''}`;
  if (/Server Is (Too )?Busy|Server Is Not Ready/i.test(text)) return 'busy';
  if (/MaximumAppend(Event)?Size|Maximum Append (Event )?Size/i.test(text)) return 'too-large';
  if (/\bBadRequest\b|Invalid Transaction/i.test(text)) return 'bad-request';
  if ((error as { code?: unknown }).code === GRPC_INVALID_ARGUMENT) return 'bad-request';
  return null;
}

const GRPC_INVALID_ARGUMENT = 3;

/**
 * Translates whatever the client threw into the port's errors, each as what it is: a conflict; a
 * refusal of the request itself (VALIDATION: sending it again cannot help); a store that cannot answer
 * now (UNAVAILABLE: try again); a store that refuses this client access (ACCESS_DENIED: fix the
 * credentials); or what the store should not hold or say (CORRUPT). Port errors pass through; errors this
 * function does not recognise (a bug, not the store) pass through unchanged.
 */
export function translateKurrentDbError(
  thrown: unknown,
  context: { readonly streamId?: string; readonly expected?: ExpectedRevision } = {},
): Error {
  if (thrown instanceof EventStoreError) return thrown;
  if (!(thrown instanceof Error)) {
    return new EventStoreError('CORRUPT', `KurrentDB client failed: ${String(thrown)}`, { cause: thrown });
  }
  // A raw gRPC error becomes the client's own error class, as the client does for its calls.
  const error = isCommandError(thrown) ? thrown : convertToCommandError(thrown);
  const cause = { cause: error };
  if (error instanceof WrongExpectedVersionError) {
    return new WrongExpectedRevisionError(
      context.streamId ?? error.streamName,
      context.expected ?? fromClientState(error.expectedState),
      toActualRevision(error.actualState),
      cause,
    );
  }
  if (
    error instanceof UnavailableError ||
    error instanceof NotLeaderError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof CancelledError
  ) {
    return new StoreUnavailableError(`KurrentDB is unavailable (${error.type}): ${error.message}`, cause);
  }
  if (
    error instanceof MaxAppendSizeExceededError ||
    error instanceof AppendRecordSizeExceededError ||
    error instanceof TransactionMaxSizeExceededError
  ) {
    return new InvalidAppendError('events', `the append is larger than KurrentDB accepts (${error.type})`);
  }
  if (error instanceof InvalidArgumentError || error instanceof InvalidTransactionError) {
    return new InvalidAppendError('request', `KurrentDB refused the request: ${error.message}`);
  }
  if (error instanceof UnknownError) {
    switch (unknownRefusal(error)) {
      case 'busy':
        return new StoreUnavailableError(`KurrentDB is busy: ${error.message}`, cause);
      case 'too-large':
        return new InvalidAppendError(
          'events',
          `the append is larger than KurrentDB accepts: ${error.message}`,
        );
      case 'bad-request':
        return new InvalidAppendError('request', `KurrentDB refused the request: ${error.message}`);
      case null:
        // Nothing says more; the server's own unknown failures (an unexpected result in an election,
        // say) pass, and a retry with the same event ids is safe.
        return new StoreUnavailableError(`KurrentDB failed: ${error.message}`, cause);
    }
  }
  if (error instanceof AccessDeniedError) {
    return new EventStoreError(
      'ACCESS_DENIED',
      'KurrentDB refused access: check the credentials in the connection string and the ACLs',
      cause,
    );
  }
  if (error instanceof StreamDeletedError || error instanceof StreamTombstonedError) {
    const stream =
      context.streamId ?? (error instanceof StreamDeletedError ? error.streamName : error.stream);
    return new EventStoreError(
      'CORRUPT',
      `stream ${stream} was deleted in KurrentDB; the store is append-only`,
      cause,
    );
  }
  if (isCommandError(error)) {
    return new EventStoreError(
      'CORRUPT',
      `unexpected KurrentDB error (${error.type}): ${error.message}`,
      cause,
    );
  }
  if (isConnectionFailure(error)) {
    return new StoreUnavailableError(`cannot reach KurrentDB: ${error.message}`, cause);
  }
  return error;
}

function isConnectionFailure(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'EPIPE'].includes(
      code,
    )
  ) {
    return true;
  }
  return /^Failed to discover/.test(error.message);
}
