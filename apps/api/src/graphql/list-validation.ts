import type { PipeTransform, Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { ApiError, validationFailure } from './errors.js';

/**
 * A pipe for a list argument of an input type: each item gets the input class's own rules, which the
 * global validation pipe does not apply to lists (it validates only what the metadata names, an Array).
 * A refusal names the item and field, e.g. `letters[1].fileName must be a file name without folders`.
 */
export function eachValidated<T extends object>(
  type: Type<T>,
  field: string,
): PipeTransform<unknown, Promise<T[]>> {
  return {
    async transform(value: unknown): Promise<T[]> {
      if (!Array.isArray(value)) throw new ApiError('BAD_USER_INPUT', `${field}: must be a list`, field);
      const items = value.map((item: unknown) => plainToInstance(type, item as object));
      const failures: ValidationError[] = [];
      for (const [i, item] of items.entries()) {
        const errors = await validate(item, { forbidUnknownValues: true });
        if (errors.length > 0)
          failures.push(
            Object.assign(new ValidationError(), { property: `${field}[${i}]`, children: errors }),
          );
      }
      if (failures.length > 0)
        throw new ApiError('BAD_USER_INPUT', validationFailure(failures).message, field);
      return items;
    },
  };
}
