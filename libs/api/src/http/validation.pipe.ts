import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { RequestValidationError, type ValidationIssue } from '@orrery/domain';
import { plainToDto } from '@orrery/bus';
import { laxIssue } from '../common/lax-scalars';
import { isLargeBody, yieldToEventLoop } from './json-body.parser';

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

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The global pipe: turns bodies into DTO instances, keeps unknown keys out of them (Prefect ignores
 * unknown top-level keys for most clients' sake) and reports failures as RequestValidationError.
 * A body object bound to a DTO takes the linear path of `plainToDto` (@orrery/bus); everything
 * else (query and path parameters, bodies that are not objects) goes through Nest's ValidationPipe
 * as is.
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
    // A large body (json-body.parser) gives the event loop a turn between the steps that walk it.
    const large = isLargeBody(value);
    const entity = plainToDto(dto as new () => object, value, this.transformOptions);
    if (large) await yieldToEventLoop();
    const errors = await this.validate(entity, this.validatorOptions);
    if (large) await yieldToEventLoop();
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
