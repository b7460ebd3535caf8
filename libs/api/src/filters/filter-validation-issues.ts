import { ValidationError } from 'class-validator';
import { laxDateTime, laxUuid, type ValidationIssue } from '@orrery/domain';
import { laxIssue } from '../common/lax-scalars';
import { toValidationIssues } from '../http/validation.pipe';
import {
  IS_ENUM_LIST,
  IS_ENUM_VALUE,
  IS_INSTANT,
  IS_STRING_LIST,
  IS_UUID_LIST,
} from './filter-field.decorators';

type Loc = ReadonlyArray<string | number>;

/** pydantic's enum message: `Input should be 'A', 'B' or 'C'`. */
export function enumIssue(loc: Loc, values: readonly string[], input: unknown): ValidationIssue {
  const quoted = values.map((v) => `'${v}'`);
  const expected =
    quoted.length > 1
      ? `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`
      : (quoted[0] ?? '');
  return { type: 'enum', loc, msg: `Input should be ${expected}`, input, ctx: { expected } };
}

const LIST_ITEM: Record<string, (value: unknown) => { type: string; msg: string } | null> = {
  [IS_UUID_LIST]: (v) => {
    const parsed = laxUuid(v);
    return parsed.ok ? null : { type: parsed.type, msg: parsed.msg };
  },
  [IS_STRING_LIST]: (v) =>
    typeof v === 'string' ? null : { type: 'string_type', msg: 'Input should be a valid string' },
};

/**
 * Turns the filter DTOs' class-validator errors into pydantic-style issues: extra keys become
 * `extra_forbidden` at the key's own location, list constraints report each bad item with its
 * index, enums list the allowed values, datetimes say so; everything else goes through the
 * global pipe's mapping.
 */
export function filterValidationIssues(errors: readonly ValidationError[], loc: Loc): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const error of errors) {
    const here = [...loc, /^\d+$/.test(error.property) ? Number(error.property) : error.property];
    const value: unknown = error.value;
    // A lax scalar that could not be read is the only issue (no bounds on an unread value).
    const unread = Object.entries(error.constraints ?? {}).find(
      ([constraint, message]) => value !== undefined && laxIssue(constraint, value, message) !== undefined,
    );
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      if (unread !== undefined && unread[0] !== constraint && constraint !== 'whitelistValidation') continue;
      if (constraint === 'whitelistValidation') {
        issues.push({
          type: 'extra_forbidden',
          loc: here,
          msg: 'Extra inputs are not permitted',
          input: value ?? null,
        });
      } else if (constraint === IS_INSTANT) {
        const parsed = laxDateTime(value);
        if (!parsed.ok) issues.push({ type: parsed.type, loc: here, msg: parsed.msg, input: value });
      } else if (constraint === IS_ENUM_VALUE) {
        issues.push(enumIssue(here, enumValues(message), value));
      } else if (
        constraint === IS_UUID_LIST ||
        constraint === IS_STRING_LIST ||
        constraint === IS_ENUM_LIST
      ) {
        if (!Array.isArray(value)) {
          issues.push({ type: 'list_type', loc: here, msg: 'Input should be a valid list', input: value });
          continue;
        }
        value.forEach((item: unknown, index) => {
          if (constraint === IS_ENUM_LIST) {
            const values = enumValues(message);
            if (!values.includes(item as string)) issues.push(enumIssue([...here, index], values, item));
            return;
          }
          const bad = LIST_ITEM[constraint]!(item);
          if (bad !== null) issues.push({ ...bad, loc: [...here, index], input: item });
        });
      } else if (constraint === 'maxLength' && typeof value === 'string') {
        issues.push({
          type: 'string_too_long',
          loc: here,
          msg: 'String should have at most 200 characters',
          input: value,
          ctx: { max_length: 200 },
        });
      } else if (constraint === 'isObject') {
        issues.push({
          type: 'model_attributes_type',
          loc: here,
          msg: 'Input should be a valid dictionary or object to extract fields from',
          input: value,
        });
      } else if (constraint !== 'nestedValidation') {
        const single = Object.assign(new ValidationError(), {
          ...error,
          constraints: { [constraint]: message },
          children: [],
        });
        issues.push(...toValidationIssues([single], loc));
      }
      if (value === undefined) break;
    }
    if (error.children?.length) issues.push(...filterValidationIssues(error.children, here));
  }
  return issues;
}

/** The allowed values of an enum constraint: its message is their JSON list. */
function enumValues(message: string): readonly string[] {
  try {
    const values: unknown = JSON.parse(message);
    return Array.isArray(values) ? values.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
