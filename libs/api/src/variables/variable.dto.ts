import type { VariableRecord } from '@orrery/persistence';
import { IsArray, IsOptional, IsString, registerDecorator } from 'class-validator';
import { AbsentAllowed } from '../common/validators';
import { wire, wireModel, type WireOf } from '../openapi/wire-schema';

/** Prefect's MAX_VARIABLE_NAME_LENGTH and MAX_VARIABLE_VALUE_LENGTH. */
export const MAX_VARIABLE_NAME_LENGTH = 255;
export const MAX_VARIABLE_VALUE_LENGTH = 5000;

const VARIABLE_NAME = /^[a-z0-9_-]*$/;

/**
 * Prefect's `VariableName`: `[a-z0-9_-]` (the empty name passes, as upstream), then at most 255
 * characters. Messages are pydantic's: the pattern is an AfterValidator's ValueError, and the length
 * limit, applied after it, reports as "… after validation".
 */
function IsVariableName(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isVariableName',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: (args) =>
          typeof args.value === 'string' && VARIABLE_NAME.test(args.value)
            ? `Value should have at most ${MAX_VARIABLE_NAME_LENGTH} items after validation, not ${args.value.length}`
            : 'Value error, Variable name must only contain lowercase letters, numbers, and dashes or underscores.',
      },
      validator: {
        validate: (value: unknown) =>
          typeof value !== 'string' ||
          (VARIABLE_NAME.test(value) && value.length <= MAX_VARIABLE_NAME_LENGTH),
      },
    });
  };
}

/**
 * Prefect's `StrictVariableValue`: any JSON value, `null` included, whose compact serialisation
 * (orjson, counted in bytes) is at most 5000 long. Absent fails, so on create it reads "missing".
 */
function IsVariableValue(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isVariableValue',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: `Value error, Variable value must be less than ${MAX_VARIABLE_VALUE_LENGTH} characters`,
      },
      validator: {
        validate: (value: unknown) =>
          value !== undefined &&
          (value === null || Buffer.byteLength(JSON.stringify(value), 'utf8') <= MAX_VARIABLE_VALUE_LENGTH),
      },
    });
  };
}

/** `VariableCreate`: the body of `POST /variables/`. */
export class VariableCreateDto {
  @IsString()
  @IsVariableName()
  name!: string;

  @IsVariableValue()
  value: unknown;

  @AbsentAllowed()
  @IsArray()
  @IsString({ each: true })
  tags: string[] = [];
}

/**
 * `VariableUpdate`: the body of `PATCH /variables/{id}` and `/variables/name/{name}`. Only the keys
 * present are written; an explicit `null` name or tags means "leave it" (the columns are NOT NULL),
 * while a `null` value is a value.
 */
export class VariableUpdateDto {
  @IsOptional()
  @IsString()
  @IsVariableName()
  name?: string | null;

  @AbsentAllowed()
  @IsVariableValue()
  value?: unknown;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  tags?: string[] | null;
}

/** `Variable` on the wire. */
/** `Variable` on the wire. */
export const VARIABLE = wireModel('Variable', {
  id: wire.uuid(),
  created: wire.dateTime(),
  updated: wire.dateTime(),
  name: wire.string(),
  value: wire.json(),
  tags: wire.array(wire.string()),
});

export function variableResponse(variable: VariableRecord): WireOf<typeof VARIABLE> {
  return {
    id: variable.id,
    created: variable.created,
    updated: variable.updated,
    name: variable.name,
    value: variable.value,
    tags: variable.tags,
  };
}
