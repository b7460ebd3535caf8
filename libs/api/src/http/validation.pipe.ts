import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { RequestValidationError, type ValidationIssue } from '@orrery/domain';
import { type ClassTransformOptions, plainToInstance } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage } from 'class-validator';
import { laxIssue } from '../common/lax-scalars';

/** class-validator constraint names → pydantic error types and messages, as Prefect clients see them. */
const PYDANTIC: Record<string, { type: string; msg: string }> = {
  isDefined: { type: 'missing', msg: 'Field required' },
  isNotEmpty: { type: 'missing', msg: 'Field required' },
  whitelistValidation: { type: 'extra_forbidden', msg: 'Extra inputs are not permitted' },
  isString: { type: 'string_type', msg: 'Input should be a valid string' },
  isInt: { type: 'int_type', msg: 'Input should be a valid integer' },
  isNumber: { type: 'float_type', msg: 'Input should be a valid number' },
  isBoolean: { type: 'bool_type', msg: 'Input should be a valid boolean' },
  isUuid: { type: 'uuid_parsing', msg: 'Input should be a valid UUID' },
  isArray: { type: 'list_type', msg: 'Input should be a valid list' },
  isObject: { type: 'dict_type', msg: 'Input should be a valid dictionary' },
  isEnum: { type: 'enum', msg: 'Input should be one of the allowed values' },
  isIn: { type: 'enum', msg: 'Input should be one of the allowed values' },
  min: { type: 'greater_than_equal', msg: 'Input is too small' },
  max: { type: 'less_than_equal', msg: 'Input is too large' },
  matches: { type: 'string_pattern_mismatch', msg: 'String should match the required pattern' },
  isLabels: { type: 'dict_type', msg: 'Input should be a valid dictionary of strings, numbers or booleans' },
};

/** Flattens class-validator's nested errors into pydantic-style issues with full locations. */
export function toValidationIssues(
  errors: readonly ValidationError[],
  loc: ReadonlyArray<string | number> = ['body'],
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const error of errors) {
    const here = [...loc, /^\d+$/.test(error.property) ? Number(error.property) : error.property];
    // pydantic words a lax scalar's error by what was sent (datetime_type vs …_parsing), and
    // reports only that one when the value could not be read (no bounds on an unread value).
    const lax =
      error.value === undefined
        ? undefined
        : Object.entries(error.constraints ?? {})
            .map(([constraint, message]) => laxIssue(constraint, error.value, message))
            .find((issue) => issue !== undefined);
    if (lax !== undefined) {
      issues.push({
        type: lax.type,
        loc: lax.index === undefined ? here : [...here, lax.index],
        msg: lax.msg,
        input: lax.input ?? null,
      });
    }
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      if (lax !== undefined) break;
      const missing = error.value === undefined && constraint !== 'whitelistValidation';
      const known = PYDANTIC[constraint];
      issues.push({
        type: missing ? 'missing' : (known?.type ?? 'value_error'),
        loc: here,
        msg: missing ? 'Field required' : (known?.msg ?? message),
        input: error.value ?? null,
      });
      if (missing) break;
    }
    if (error.children?.length) issues.push(...toValidationIssues(error.children, here));
  }
  return issues;
}

type Plain = Record<string, unknown>;

const isPlainObject = (value: unknown): value is Plain =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The properties class-validator knows on a DTO: `whitelist` strips every other one. */
const knownPropertiesCache = new WeakMap<object, ReadonlySet<string>>();
function knownProperties(dto: new () => unknown): ReadonlySet<string> {
  let known = knownPropertiesCache.get(dto);
  if (known === undefined) {
    known = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(dto, '', true, false)
        .map((m) => m.propertyName),
    );
    knownPropertiesCache.set(dto, known);
  }
  return known;
}

/** The DTO class of a nested property (`@Type(() => X)`), or undefined when it holds plain JSON. */
function nestedDto(dto: new () => unknown, key: string): (new () => unknown) | undefined {
  const meta = defaultMetadataStorage.findTypeMetadata(dto, key);
  const type = meta?.typeFunction?.() as unknown;
  return typeof type === 'function' && type !== Object ? (type as new () => unknown) : undefined;
}

/**
 * What class-transformer is given instead of a body, and how to put back what it was not given.
 * class-transformer deep-copies every plain value it meets (and de-duplicates an object's keys in
 * O(n²)): 100 000 keys under an unknown or free-form property (`junk`, `parameters`,
 * `job_variables`) held the event loop for 20 s, 190 000 in a filter for 165 s. So the value of
 * every property that is not a nested DTO, unknown ones included, is left out and set on the
 * instance afterwards, as sent: class-validator still checks it there (and `whitelist` strips or
 * `forbidNonWhitelisted` reports the unknown ones).
 */
function detachFreeForm(
  dto: new () => unknown,
  body: Plain,
): { readonly shaped: Plain; readonly restore: (instance: unknown) => void } {
  const known = knownProperties(dto);
  const shaped: Plain = {};
  const restores: Array<(instance: Plain) => void> = [];
  for (const key of Object.keys(body)) {
    const value = body[key];
    if (!known.has(key)) {
      restores.push((instance) => {
        instance[key] = value;
      });
      continue;
    }
    if (typeof value !== 'object' || value === null) {
      shaped[key] = value;
      continue;
    }
    const nested = nestedDto(dto, key);
    if (nested === undefined) {
      restores.push((instance) => {
        instance[key] = value;
      });
    } else if (Array.isArray(value)) {
      const parts = value.map((item) => (isPlainObject(item) ? detachFreeForm(nested, item) : null));
      shaped[key] = value.map((item, i) => parts[i]?.shaped ?? item);
      restores.push((instance) => {
        const list = instance[key];
        if (Array.isArray(list)) parts.forEach((part, i) => part?.restore(list[i]));
      });
    } else if (isPlainObject(value)) {
      const part = detachFreeForm(nested, value);
      shaped[key] = part.shaped;
      restores.push((instance) => part.restore(instance[key]));
    } else {
      shaped[key] = value;
    }
  }
  return {
    shaped,
    restore: (instance) => {
      if (isPlainObject(instance)) for (const restore of restores) restore(instance);
    },
  };
}

/** `plainToInstance` of a JSON object in linear time (see detachFreeForm). */
export function plainToDto<T extends object>(
  dto: new () => T,
  plain: Record<string, unknown>,
  options?: ClassTransformOptions,
): T {
  const { shaped, restore } = detachFreeForm(dto, plain);
  const instance = plainToInstance(dto, shaped, options);
  restore(instance);
  return instance;
}

/**
 * The global pipe: turns bodies into DTO instances, keeps unknown keys out of them (Prefect ignores
 * unknown top-level keys for most clients' sake) and reports failures as RequestValidationError.
 * A body object bound to a DTO takes the linear path of `detachFreeForm`; everything else (query
 * and path parameters, bodies that are not objects) goes through Nest's ValidationPipe as is.
 */
class BoundedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto = metadata.metatype as (new () => unknown) | undefined;
    if (
      metadata.type !== 'body' ||
      dto === undefined ||
      !isPlainObject(value) ||
      !this.toValidate(metadata)
    ) {
      return super.transform(value, metadata);
    }
    // Prototype keys never get here: the body parser refuses `__proto__` and `constructor` (422).
    const entity = plainToDto(dto as new () => object, value, this.transformOptions);
    const errors = await this.validate(entity, this.validatorOptions);
    if (errors.length > 0) throw await this.exceptionFactory(errors);
    return entity;
  }
}

/**
 * The global pipe: turns bodies into DTO instances, keeps unknown keys out of them (Prefect ignores
 * unknown top-level keys for most clients' sake) and reports failures as RequestValidationError.
 */
export function createValidationPipe(): ValidationPipe {
  return new BoundedValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: false,
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => new RequestValidationError(toValidationIssues(errors)),
  });
}
