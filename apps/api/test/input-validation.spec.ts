import 'reflect-metadata';
import type { ArgumentMetadata } from '@nestjs/common';
import { ApiError, inputValidation } from '../src/graphql/errors.js';
import { OppdragFilterInput } from '../src/graphql/inputs.js';

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
