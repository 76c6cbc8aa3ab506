import { ValidationPipe, type ArgumentMetadata, type Type } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import type { ValidationError } from 'class-validator';
import { DomainError, EventDecodingError } from '#domain';
import { EventStoreError, StoreBusyError } from '#event-store';

import { ApiError, type ApiErrorCode } from '../errors/api-error.js';

export { ApiError, type ApiErrorCode };

/** Errors that carry a `code` and `name` of their own, from libraries that do not share our classes. */
const NAMED_BAD_INPUT = new Set(['LetterError', 'RangeError']);

/** The one place where any error becomes what a client sees: a message and `extensions.code`. */
export function classify(error: unknown): { code: ApiErrorCode; message: string; field?: string } {
  if (error instanceof ApiError) return { code: error.code, message: error.message, field: error.field };
  if (error instanceof DomainError) {
    const code: ApiErrorCode = error.code === 'VALIDATION' ? 'BAD_USER_INPUT' : error.code;
    return { code, message: error.message, field: error.field };
  }
  if (error instanceof EventStoreError) {
    if (error.code === 'CONFLICT') return { code: 'CONFLICT', message: error.message };
    if (error.code === 'VALIDATION') return { code: 'BAD_USER_INPUT', message: error.message };
    // The one store outage a client can act on knowingly: another process holds the write lock.
    if (error instanceof StoreBusyError) return { code: 'SERVICE_UNAVAILABLE', message: error.message };
    if (error.code === 'UNAVAILABLE')
      return { code: 'SERVICE_UNAVAILABLE', message: 'the event store is unavailable; try again' };
    if (error.code === 'ACCESS_DENIED')
      return { code: 'INTERNAL_SERVER_ERROR', message: 'the event store refuses this server access' };
    return {
      code: 'INTERNAL_SERVER_ERROR',
      message: 'the event store holds an event this server cannot read',
    };
  }
  if (error instanceof EventDecodingError)
    return { code: 'INTERNAL_SERVER_ERROR', message: 'an event could not be read' };
  if (error instanceof Error && NAMED_BAD_INPUT.has(error.name))
    return { code: 'BAD_USER_INPUT', message: error.message };
  return { code: 'INTERNAL_SERVER_ERROR', message: 'internal error' };
}

export function toGraphQLError(error: unknown, path?: ReadonlyArray<string | number>): GraphQLError {
  const { code, message, field } = classify(error);
  return new GraphQLError(message, { path, extensions: field ? { code, field } : { code } });
}

/** Turns class-validator's findings into one BAD_USER_INPUT error that names each field and rule. */
export function validationFailure(errors: readonly ValidationError[]): ApiError {
  const problems: string[] = [];
  const walk = (list: readonly ValidationError[], prefix: string): void => {
    for (const e of list) {
      const path = prefix ? `${prefix}.${e.property}` : e.property;
      for (const message of Object.values(e.constraints ?? {})) {
        problems.push(
          message.startsWith(e.property)
            ? `${path}${message.slice(e.property.length)}`
            : `${path}: ${message}`,
        );
      }
      if (e.children && e.children.length > 0) walk(e.children, path);
    }
  };
  walk(errors, '');
  const first = errors[0]?.property;
  return new ApiError('BAD_USER_INPUT', problems.join('; ') || 'input is invalid', first);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/**
 * A validation pipe for one query argument that remembers the inputs it accepted: validating a filter
 * (class-transformer, then class-validator) cost more than answering some queries, and clients send the
 * same filters again and again. Validation is a pure function of the argument's value, so an input with
 * the same JSON as one accepted before gets the same validated instance, frozen so that no request can
 * change what the next one gets. Refused inputs are not remembered (they are refused again, the same
 * way); at most `capacity` inputs of at most 2,048 characters are kept.
 */
class RememberingValidationPipe extends ValidationPipe {
  private readonly accepted = new Map<string, unknown>();

  constructor(
    options: ConstructorParameters<typeof ValidationPipe>[0],
    private readonly capacity = 256,
  ) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (value === null || typeof value !== 'object') return super.transform(value, metadata);
    const key = JSON.stringify(value);
    if (key === undefined || key.length > 2048) return super.transform(value, metadata);
    if (this.accepted.has(key)) return this.accepted.get(key);
    const result: unknown = await super.transform(value, metadata);
    if (this.accepted.size >= this.capacity) this.accepted.clear();
    this.accepted.set(key, deepFreeze(result));
    return result;
  }
}

/**
 * The validation every argument gets (installed globally at boot). Pass the input class for a nullable
 * argument: decorator metadata records `T | null` as Object, and the pipe validates only what the metadata
 * names, so without `expectedType` a nullable input's rules would never run. A pipe for a named input
 * class belongs to one argument and remembers the inputs it accepted (see RememberingValidationPipe).
 */
export function inputValidation(expectedType?: Type<unknown>): ValidationPipe {
  const options = {
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors: ValidationError[]) => validationFailure(errors),
  };
  return expectedType
    ? new RememberingValidationPipe({ ...options, expectedType })
    : new ValidationPipe(options);
}
