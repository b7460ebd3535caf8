import { applyDecorators } from '@nestjs/common';
import {
  type LaxResult,
  laxBool,
  laxDateTime,
  laxDuration,
  laxEnum,
  laxFloat,
  laxInt,
  laxUuid,
} from '@orrery/domain';
import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationOptions } from 'class-validator';

/*
 * pydantic's lax mode for request DTOs (the parsers and their truth table live in @orrery/domain's
 * lax-scalars.ts). Each decorator is a class-transformer Transform that turns an accepted form into
 * the canonical value the controllers expect, plus a class-validator constraint (registered through
 * ValidateBy, so metadata readers such as the OpenAPI generator see it) named below. A value the
 * Transform could not read stays as sent, fails its constraint, and `laxIssue` words the 422 the way
 * pydantic does for that input (`datetime_type` for `true`, `datetime_from_date_parsing` for "x").
 */

export const IS_LAX_DATETIME = 'isLaxDateTime';
export const IS_LAX_DURATION = 'isLaxDuration';
export const IS_LAX_UUID = 'isLaxUuid';
export const IS_LAX_BOOL = 'isLaxBool';
export const IS_LAX_INT = 'isLaxInt';
export const IS_LAX_NUMBER = 'isLaxNumber';
export const IS_LAX_ENUM = 'isLaxEnum';

type Parser = (value: unknown) => LaxResult<unknown>;

/** Constraint name → the parser whose error words the issue (an enum's message is its values, as JSON). */
const PARSERS: Record<string, (message: string) => Parser> = {
  [IS_LAX_DATETIME]: () => laxDateTime,
  [IS_LAX_DURATION]: () => laxDuration,
  [IS_LAX_UUID]: () => laxUuid,
  [IS_LAX_BOOL]: () => laxBool,
  [IS_LAX_INT]: () => laxInt,
  [IS_LAX_NUMBER]: () => laxFloat,
  [IS_LAX_ENUM]: (message) => (value) => laxEnum(value, JSON.parse(message) as string[]),
};

/**
 * pydantic's `type` and `msg` for a value a lax constraint refused, or undefined when the
 * constraint is not a lax one. For `each` constraints the first bad item is named with its index.
 */
export function laxIssue(
  constraint: string,
  value: unknown,
  message = '[]',
): { type: string; msg: string; index?: number; input: unknown } | undefined {
  const parserOf = PARSERS[constraint];
  if (parserOf === undefined) return undefined;
  const parse = parserOf(message);
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const result = parse(value[index]);
      if (!result.ok) return { type: result.type, msg: result.msg, index, input: value[index] };
    }
  }
  const result = parse(value);
  return result.ok ? undefined : { type: result.type, msg: result.msg, input: value };
}

/** A Transform to the canonical value and a ValidateBy constraint called `name`. */
function lax<T>(
  name: string,
  parse: (value: unknown) => LaxResult<T>,
  canonical: (value: T) => unknown,
  options: ValidationOptions = {},
  constraints: unknown[] = [],
  message = `$property: ${name}`,
): PropertyDecorator {
  const coerce = (value: unknown): unknown => {
    if (value === null || value === undefined) return value;
    const result = parse(value);
    return result.ok ? canonical(result.value) : value;
  };
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      options.each === true && Array.isArray(value) ? value.map(coerce) : coerce(value),
    ),
    ValidateBy(
      {
        name,
        constraints,
        validator: {
          validate: (value: unknown) => parse(value).ok,
          defaultMessage: () => message,
        },
      },
      options,
    ),
  );
}

/**
 * A datetime in any form pydantic takes (ISO 8601 with `T` or a space, `Z` or an offset, naive =
 * UTC, a date alone, Unix seconds or milliseconds as a number or numeric string), held as
 * canonical ISO text (`…ffffffZ`).
 */
export function IsLaxDateTime(options?: ValidationOptions): PropertyDecorator {
  return lax(IS_LAX_DATETIME, laxDateTime, (instant) => instant.toISOString(), options);
}

/** A timedelta (seconds as a number, `PT1H`, `[-][D days, ]HH:MM:SS[.ffffff]`), held as seconds. */
export function IsLaxDuration(options?: ValidationOptions): PropertyDecorator {
  return lax(IS_LAX_DURATION, laxDuration, (micros) => micros / 1_000_000, options);
}

/** A UUID in any form Python's uuid.UUID reads, held lowercase and hyphenated. */
export function IsLaxUuid(options?: ValidationOptions): PropertyDecorator {
  return lax(IS_LAX_UUID, laxUuid, (id) => id, options);
}

/** A boolean: also 0/1 and "true"/"1"/"yes"/"on"/"t"/"y" (and their false forms, any case). */
export function IsLaxBool(options?: ValidationOptions): PropertyDecorator {
  return lax(IS_LAX_BOOL, laxBool, (flag) => flag, options);
}

/** An integer: also an integral float (`3.0`) or a numeric string (`"3"`). */
export function IsLaxInt(options?: ValidationOptions): PropertyDecorator {
  return lax(IS_LAX_INT, laxInt, (n) => n, options);
}

/** A number: also a numeric string (`"1.5"`, `"1e3"`). */
export function IsLaxNumber(options?: ValidationOptions): PropertyDecorator {
  return lax(IS_LAX_NUMBER, laxFloat, (n) => n, options);
}

/** One of `values`, exactly (pydantic does not fold case). */
export function IsLaxEnum(values: readonly string[], options?: ValidationOptions): PropertyDecorator {
  return lax(
    IS_LAX_ENUM,
    (v) => laxEnum(v, values),
    (v) => v,
    options,
    [values],
    JSON.stringify(values),
  );
}
