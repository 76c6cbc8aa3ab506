import 'reflect-metadata';
import type { ArgumentMetadata } from '@nestjs/common';
import { ApiError, inputValidation } from '../src/graphql/errors.js';
import { OppdragFilterInput, StartOppdragInput } from '../src/graphql/inputs.js';

/** What @nestjs/graphql hands a pipe for a nullable `@Args('filter')` (its ARGS param type is 3). */
const metadata: ArgumentMetadata = {
  type: 3 as unknown as ArgumentMetadata['type'],
  metatype: Object,
  data: 'filter',
};

describe('validating a query filter argument', () => {
  it('gives an input with the same value the same validated, frozen instance', async () => {
    const pipe = inputValidation(OppdragFilterInput);
    const first = (await pipe.transform(
      { year: 2024, status: ['assigned'] },
      metadata,
    )) as OppdragFilterInput;
    const second = (await pipe.transform(
      { year: 2024, status: ['assigned'] },
      metadata,
    )) as OppdragFilterInput;
    expect(first).toBeInstanceOf(OppdragFilterInput);
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.status)).toBe(true);
    const other = (await pipe.transform({ year: 2025 }, metadata)) as OppdragFilterInput;
    expect(other).not.toBe(first);
    expect(other.year).toBe(2025);
  });

  it('refuses a bad input every time, with the same message', async () => {
    const pipe = inputValidation(OppdragFilterInput);
    const bad = { year: 1800, lead: 'helse-ingensteds' };
    const messages: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const error = await pipe.transform(bad, metadata).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe('BAD_USER_INPUT');
      messages.push((error as ApiError).message);
    }
    expect(new Set(messages).size).toBe(1);
    expect(messages[0]).toMatch(/year/);
    expect(messages[0]).toMatch(/lead must be one of the four RHF ids/);
  });

  it('tells null and absent fields apart', async () => {
    const pipe = inputValidation(OppdragFilterInput);
    const absent = await pipe.transform({}, metadata);
    const nulled = await pipe.transform({ year: null }, metadata);
    expect(nulled).not.toBe(absent);
    expect(nulled).toEqual(expect.objectContaining({ year: null }));
    expect(Object.hasOwn(absent as object, 'year')).toBe(false);
  });
});

describe('validating an argument of an input class (the pipe every argument gets)', () => {
  const pipe = inputValidation();
  const input: ArgumentMetadata = {
    type: 3 as unknown as ArgumentMetadata['type'],
    metatype: StartOppdragInput,
    data: 'input',
  };

  it('gives an instance of the input class', () => {
    const value = pipe.transform({ oppdragId: 'o-2024-0001', startedOn: '2024-03-01' }, input);
    expect(value).toBeInstanceOf(StartOppdragInput);
    expect(value).toEqual(expect.objectContaining({ oppdragId: 'o-2024-0001', startedOn: '2024-03-01' }));
  });

  it('refuses a bad input at once, naming each field and rule', () => {
    let refusal: unknown = null;
    try {
      pipe.transform({ oppdragId: 'O 1', startedOn: '2024-02-30', commandId: 'x' }, input);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ApiError);
    expect((refusal as ApiError).code).toBe('BAD_USER_INPUT');
    // The class's own fields first, then those it inherits (class-validator's order).
    expect((refusal as ApiError).field).toBe('startedOn');
    expect((refusal as ApiError).message).toMatch(/oppdragId must be lower-case letters/);
    expect((refusal as ApiError).message).toMatch(/startedOn must be a calendar date/);
    expect((refusal as ApiError).message).toMatch(/commandId must be a UUID/);
  });

  it('names the required fields of a missing input', () => {
    expect(() => {
      pipe.transform(undefined, input);
    }).toThrow(/oppdragId.*startedOn|startedOn.*oppdragId/);
  });

  it('passes other values on as they are', () => {
    const actor = { userId: 'u' };
    expect(pipe.transform(actor, { type: 'custom', metatype: Object, data: undefined })).toBe(actor);
    expect(
      pipe.transform(25, { type: 3 as unknown as ArgumentMetadata['type'], metatype: Number, data: 'first' }),
    ).toBe(25);
    const list = ['a'];
    expect(
      pipe.transform(list, { type: 3 as unknown as ArgumentMetadata['type'], metatype: Array, data: 'ids' }),
    ).toBe(list);
  });
});
