import { applyDecorators } from '@nestjs/common';
import { Max, Min, registerDecorator, ValidateIf, type ValidationOptions } from 'class-validator';
import { IsLaxInt } from './lax-scalars';

/** PostgreSQL `integer` bounds: every integer field is stored in (or compared with) an int4 column. */
export const INT4_MIN = -2147483648;
export const INT4_MAX = 2147483647;

/**
 * An integer that fits PostgreSQL's `integer`: a larger one is the client's 422, never a database
 * error. Lax as pydantic (`3.0`, `"3"` are 3; see lax-scalars.ts). Use instead of class-validator's
 * IsInt on request fields.
 */
export function IsInt32(): PropertyDecorator {
  return applyDecorators(IsLaxInt(), Min(INT4_MIN), Max(INT4_MAX));
}

/**
 * The field may be left out, but when present it is validated — `null` included. class-validator's
 * IsOptional would also let `null` through, which Prefect rejects for non-nullable fields.
 */
export function AbsentAllowed(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}

/** Prefect labels: a flat object whose values are strings, numbers or booleans (or null for the whole). */
export function IsLabels(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isLabels',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'Input should be a valid dictionary of strings, numbers or booleans', ...options },
      validator: {
        validate(value: unknown): boolean {
          if (value === null) return true;
          if (typeof value !== 'object' || Array.isArray(value)) return false;
          return Object.values(value as object).every((v) =>
            ['string', 'number', 'boolean'].includes(typeof v),
          );
        },
      },
    });
  };
}
