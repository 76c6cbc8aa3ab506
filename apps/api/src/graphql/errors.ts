import type { ArgumentMetadata, PipeTransform, Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError, type ValidatorOptions } from 'class-validator';
import { GraphQLError } from 'graphql';
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

/** How class-validator checks every input: unknown values refused, and errors without the input in them. */
const VALIDATOR_OPTIONS: ValidatorOptions = {
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};

/** Argument types that are not input classes: their values are passed on as they are. */
const NOT_INPUT_CLASSES = new Set<unknown>([String, Boolean, Number, Array, Object, Buffer, Date]);

/**
 * The validation every argument of an input class gets (installed globally at boot): class-transformer
 * makes the value an instance of its class (nested inputs too), class-validator checks it against the
 * class's rules, and a refusal is one BAD_USER_INPUT naming each field and rule. The same two libraries
 * as Nest's ValidationPipe, without its passes for what a GraphQL argument cannot hold (prototype keys,
 * sparse arrays, binary values) and synchronously: every rule here is synchronous, and a mutation's input
 * is checked on every request, where the pipe's extra passes and awaits cost more than the rules did.
 *
 * Pass the input class for a nullable argument: decorator metadata records `T | null` as Object, and the
 * pipe validates only what the metadata names, so without `expectedType` a nullable input's rules would
 * never run. Values of other types (strings, numbers, lists, custom parameters such as the actor) pass
 * unchanged.
 */
export class InputValidationPipe implements PipeTransform {
  constructor(private readonly expectedType?: Type<unknown>) {}

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const metatype = this.expectedType ?? metadata.metatype;
    if (metadata.type === 'custom' || !metatype || NOT_INPUT_CLASSES.has(metatype)) return value;
    // A missing input is validated as an empty one, so that its required fields are named.
    const entity = plainToInstance(metatype, value ?? {}) as object;
    const errors = validateSync(entity, VALIDATOR_OPTIONS);
    if (errors.length > 0) throw validationFailure(errors);
    return entity;
  }
}

/**
 * A validation pipe for one query argument that remembers the inputs it accepted: validating a filter
 * cost more than answering some queries, and clients send the same filters again and again. Validation
 * is a pure function of the argument's value, so an input with the same JSON as one accepted before gets
 * the same validated instance, frozen so that no request can change what the next one gets. Refused
 * inputs are not remembered (they are refused again, the same way); at most `capacity` inputs of at most
 * 2,048 characters are kept.
 */
class RememberingValidationPipe implements PipeTransform {
  private readonly accepted = new Map<string, unknown>();
  private readonly pipe: InputValidationPipe;

  constructor(
    expectedType: Type<unknown>,
    private readonly capacity = 256,
  ) {
    this.pipe = new InputValidationPipe(expectedType);
  }

  /** A promise, as Nest's own pipes give: a refusal reaches the caller as a rejection. */
  transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    return Promise.resolve().then(() => this.remembered(value, metadata));
  }

  private remembered(value: unknown, metadata: ArgumentMetadata): unknown {
    if (value === null || typeof value !== 'object') return this.pipe.transform(value, metadata);
    const key = JSON.stringify(value);
    if (key === undefined || key.length > 2048) return this.pipe.transform(value, metadata);
    if (this.accepted.has(key)) return this.accepted.get(key);
    const result = this.pipe.transform(value, metadata);
    if (this.accepted.size >= this.capacity) this.accepted.clear();
    this.accepted.set(key, deepFreeze(result));
    return result;
  }
}

/**
 * The validation of arguments: with no class, the pipe installed globally (see
 * {@link InputValidationPipe}); with the input class of one argument, a pipe for that argument that
 * remembers the inputs it accepted (see RememberingValidationPipe).
 */
export function inputValidation(expectedType?: Type<unknown>): PipeTransform {
  return expectedType ? new RememberingValidationPipe(expectedType) : new InputValidationPipe();
}
