import { applyDecorators } from '@nestjs/common';
import { FILTER_OPERATORS, Instant, laxDateTime, laxUuid } from '@orrery/domain';
import { Transform, Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, ValidateBy, ValidateNested } from 'class-validator';
import { IsLaxBool } from '../common/lax-scalars';
import { IsInt32 } from '../common/validators';

/*
 * Property decorators for the filter DTOs. Every field of a Prefect filter model is optional and
 * nullable, so each decorator starts with IsOptional. The constraint names below are mapped to
 * pydantic's error types by `filterValidationIssues` (list items get their index in `loc`); enum
 * constraints carry their allowed values as the (JSON) message.
 */

export const IS_UUID_LIST = 'isUuidList';
export const IS_STRING_LIST = 'isStringList';
export const IS_ENUM_LIST = 'isEnumList';
export const IS_ENUM_VALUE = 'isEnumValue';
export const IS_INSTANT = 'isInstant';

/** pydantic's lax datetime (laxDateTime): ISO text, or Unix seconds/milliseconds as numbers or strings. */
function toInstantOrRaw(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  const parsed = laxDateTime(value);
  return parsed.ok ? parsed.value : value;
}

/** Each item a UUID in any of pydantic's forms (laxUuid), made canonical; others left for the 422. */
function toUuidsOrRaw(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((item: unknown) => {
    const parsed = laxUuid(item);
    return parsed.ok ? parsed.value : item;
  });
}

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A list of UUIDs (any version, any form pydantic reads). */
export function UuidList(): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    Transform(({ value }: { value: unknown }) => toUuidsOrRaw(value)),
    ValidateBy({
      name: IS_UUID_LIST,
      validator: {
        validate: (v: unknown) =>
          Array.isArray(v) && v.every((s) => typeof s === 'string' && CANONICAL_UUID.test(s)),
      },
    }),
  );
}

/** A list of strings. */
export function StringList(): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    ValidateBy({
      name: IS_STRING_LIST,
      validator: { validate: (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string') },
    }),
  );
}

/** A list of enum values, matched exactly (`"completed"` is not `"COMPLETED"`). */
export function EnumList(values: readonly string[]): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    ValidateBy(
      {
        name: IS_ENUM_LIST,
        constraints: [values],
        validator: {
          validate: (v: unknown) => Array.isArray(v) && v.every((s) => values.includes(s as string)),
        },
      },
      { message: JSON.stringify(values) },
    ),
  );
}

/** A filter model's `operator` (`and_` | `or_`). */
export function Operator(): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    ValidateBy(
      {
        name: IS_ENUM_VALUE,
        constraints: [FILTER_OPERATORS],
        validator: { validate: (v: unknown) => (FILTER_OPERATORS as readonly unknown[]).includes(v) },
      },
      { message: JSON.stringify(FILTER_OPERATORS) },
    ),
  );
}

/** Any ISO-8601 date-time (space separator, any offset, naive = UTC) or a Unix timestamp, as an Instant. */
export function InstantField(): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    Transform(({ value }: { value: unknown }) => toInstantOrRaw(value)),
    ValidateBy({ name: IS_INSTANT, validator: { validate: (v: unknown) => v instanceof Instant } }),
  );
}

export function OptionalBoolean(): PropertyDecorator {
  return applyDecorators(IsOptional(), IsLaxBool());
}

export function OptionalString(): PropertyDecorator {
  return applyDecorators(IsOptional(), IsString());
}

export function OptionalInt(): PropertyDecorator {
  return applyDecorators(IsOptional(), IsInt32());
}

/** A nested filter model, validated (and its unknown keys rejected) recursively. */
export function Nested(type: () => new () => object): PropertyDecorator {
  return applyDecorators(IsOptional(), IsObject(), ValidateNested(), Type(type));
}
