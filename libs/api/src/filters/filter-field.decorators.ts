import { applyDecorators } from '@nestjs/common';
import { FILTER_OPERATORS, Instant, isUuid } from '@orrery/domain';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsObject, IsOptional, IsString, ValidateBy, ValidateNested } from 'class-validator';
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

/** pydantic reads numbers as Unix seconds, or milliseconds when larger than 2·10¹⁰. */
function toInstantOrRaw(value: unknown): unknown {
  if (typeof value === 'string') return Instant.tryParse(value) ?? value;
  if (typeof value === 'number' && Number.isFinite(value)) {
    return Math.abs(value) > 2e10 ? Instant.fromEpochMillis(value) : Instant.fromEpochSeconds(value);
  }
  return value;
}

/** A list of UUIDs (any version, hyphenated). */
export function UuidList(): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    ValidateBy({
      name: IS_UUID_LIST,
      validator: { validate: (v: unknown) => Array.isArray(v) && v.every(isUuid) },
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
  return applyDecorators(IsOptional(), IsBoolean());
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
