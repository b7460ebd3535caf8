import { type Instant, laxDateTime, laxDuration, laxUuid } from '@orrery/domain';
import { enumIssue } from '../filters/filter-validation-issues';
import { type FilterBodySpec, parseFilterCriteria } from '../filters/list-body.parser';
import { RequestValidationError, type ValidationIssue } from '@orrery/domain';

/*
 * Readers for the embedded-parameter bodies of the history, lateness and UI helper endpoints: each
 * reads one top-level key, records pydantic-style issues (so one 422 lists every bad field) and
 * returns undefined when the value is unusable. Unknown top-level keys are ignored, as FastAPI does
 * for multi-parameter bodies; filter objects go through the shared filter parser.
 */

export type Fields = Record<string, unknown>;

/** No body is an empty body; anything but a JSON object is a 422. */
export function bodyFields(body: unknown): Fields {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new RequestValidationError([
      {
        type: 'model_attributes_type',
        loc: ['body'],
        msg: 'Input should be a valid dictionary or object to extract fields from',
        input: body,
      },
    ]);
  }
  return body as Fields;
}

export function throwIfAny(issues: readonly ValidationIssue[]): void {
  if (issues.length > 0) throw new RequestValidationError(issues);
}

/** The filter keys of `spec`, their issues added to `issues` (instead of thrown). */
export function readCriteria<C>(
  spec: FilterBodySpec<C>,
  fields: Fields,
  issues: ValidationIssue[],
): C | undefined {
  try {
    return parseFilterCriteria(spec, fields);
  } catch (error) {
    if (!(error instanceof RequestValidationError)) throw error;
    issues.push(...error.issues);
    return undefined;
  }
}

function missing(fields: Fields, key: string, issues: ValidationIssue[]): boolean {
  if (fields[key] !== undefined) return false;
  issues.push({ type: 'missing', loc: ['body', key], msg: 'Field required', input: null });
  return true;
}

/** A required date-time: ISO-8601 (space separator, any offset, naive = UTC) or Unix seconds/milliseconds. */
export function readInstant(fields: Fields, key: string, issues: ValidationIssue[]): Instant | undefined {
  if (missing(fields, key, issues)) return undefined;
  const value = fields[key];
  const parsed = laxDateTime(value);
  if (parsed.ok) return parsed.value;
  if (typeof value === 'string' || typeof value === 'number') {
    issues.push({ type: parsed.type, loc: ['body', key], msg: parsed.msg, input: value });
    return undefined;
  }
  issues.push({
    type: 'datetime_type',
    loc: ['body', key],
    msg: 'Input should be a valid datetime',
    input: value,
  });
  return undefined;
}

/** A required timedelta in seconds: a number of seconds or an ISO 8601 / clock duration, as pydantic reads it. */
export function readDurationSeconds(
  fields: Fields,
  key: string,
  issues: ValidationIssue[],
): number | undefined {
  if (missing(fields, key, issues)) return undefined;
  const value = fields[key];
  const parsed = laxDuration(value);
  if (parsed.ok) return parsed.value / 1_000_000;
  issues.push({ type: parsed.type, loc: ['body', key], msg: parsed.msg, input: value });
  return undefined;
}

/** An optional integer within bounds (violations are ordinary validation issues, as `Body(ge=…, le=…)`). */
export function readBoundedInt(
  fields: Fields,
  key: string,
  bounds: { default: number; min?: number; max?: number },
  issues: ValidationIssue[],
): number | undefined {
  const value = fields[key];
  if (value === undefined) return bounds.default;
  const loc = ['body', key];
  let n: number | undefined;
  if (typeof value === 'number' && Number.isInteger(value)) n = value;
  else if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) n = Number(value);
  if (n === undefined) {
    issues.push({ type: 'int_type', loc, msg: 'Input should be a valid integer', input: value });
    return undefined;
  }
  if (bounds.min !== undefined && n < bounds.min) {
    issues.push({
      type: 'greater_than_equal',
      loc,
      msg: `Input should be greater than or equal to ${bounds.min}`,
      input: value,
      ctx: { ge: bounds.min },
    });
    return undefined;
  }
  if (bounds.max !== undefined && n > bounds.max) {
    issues.push({
      type: 'less_than_equal',
      loc,
      msg: `Input should be less than or equal to ${bounds.max}`,
      input: value,
      ctx: { le: bounds.max },
    });
    return undefined;
  }
  return n;
}

/** An optional enum value, exact; absent or null → the default. */
export function readEnum<S extends string>(
  fields: Fields,
  key: string,
  values: readonly S[],
  fallback: S,
  issues: ValidationIssue[],
): S | undefined {
  const value = fields[key];
  if (value === undefined || value === null) return fallback;
  if ((values as readonly unknown[]).includes(value)) return value as S;
  issues.push(enumIssue(['body', key], values, value));
  return undefined;
}

/** A required list of UUIDs (any form pydantic reads, canonical here), at most `maxItems`. */
export function readUuidList(
  fields: Fields,
  key: string,
  maxItems: number,
  issues: ValidationIssue[],
): string[] | undefined {
  if (missing(fields, key, issues)) return undefined;
  const value = fields[key];
  if (!Array.isArray(value)) {
    issues.push({ type: 'list_type', loc: ['body', key], msg: 'Input should be a valid list', input: value });
    return undefined;
  }
  if (value.length > maxItems) {
    issues.push({
      type: 'too_long',
      loc: ['body', key],
      msg: `List should have at most ${maxItems} items after validation, not ${value.length}`,
      input: value,
      ctx: { field_type: 'List', max_length: maxItems, actual_length: value.length },
    });
    return undefined;
  }
  const before = issues.length;
  const ids = value.map((item: unknown, index) => {
    const parsed = laxUuid(item);
    if (parsed.ok) return parsed.value;
    issues.push({ type: parsed.type, loc: ['body', key, index], msg: parsed.msg, input: item });
    return '';
  });
  return issues.length > before ? undefined : ids;
}
