import { type Instant, laxDateTime, laxUuid } from '@orrery/domain';
import type { JsonSchema } from '../openapi/validator-schema';
import type { LogInsert } from '@orrery/persistence';
import { RequestValidationError, type ValidationIssue } from '@orrery/domain';
import { forEachInSlices, MAX_BULK_ISSUES } from '../http/json-body.parser';

type Loc = ReadonlyArray<string | number>;

const LOG_CREATE_FIELDS = new Set(['name', 'level', 'message', 'timestamp', 'flow_run_id', 'task_run_id']);

/** One `LogCreate` as readLogCreate reads it (other keys are refused). */
export const LOG_CREATE_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    level: { type: 'integer', minimum: -32_768, maximum: 32_767 },
    message: { type: 'string' },
    timestamp: { type: 'string', format: 'date-time' },
    flow_run_id: { anyOf: [{ type: 'string', format: 'uuid' }, { type: 'null' }] },
    task_run_id: { anyOf: [{ type: 'string', format: 'uuid' }, { type: 'null' }] },
  },
  required: ['name', 'level', 'message', 'timestamp'],
  additionalProperties: false,
};

/*
 * `POST /logs/` takes a bare array of `LogCreate` (extra keys forbidden). It is validated by hand
 * rather than through a DTO because every issue must name its item (`["body", 3, "level"]`) and a
 * batch can hold thousands of items: one pass, no class instances.
 */

/**
 * The validated batch, or a RequestValidationError listing every bad field of every item (the first
 * MAX_BULK_ISSUES). Validated in slices that yield to the event loop: a batch may hold 100 000 logs.
 */
export async function parseLogCreateBatch(body: unknown): Promise<LogInsert[]> {
  if (!Array.isArray(body)) {
    throw new RequestValidationError([
      { type: 'list_type', loc: ['body'], msg: 'Input should be a valid list', input: body ?? null },
    ]);
  }
  const issues: ValidationIssue[] = [];
  const logs: LogInsert[] = [];
  await forEachInSlices(body as unknown[], (item, index) => {
    const log = readLogCreate(item, ['body', index], issues);
    if (log !== null) logs.push(log);
    return issues.length < MAX_BULK_ISSUES;
  });
  if (issues.length > 0) throw new RequestValidationError(issues);
  return logs;
}

function readLogCreate(item: unknown, loc: Loc, issues: ValidationIssue[]): LogInsert | null {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    issues.push({
      type: 'model_attributes_type',
      loc,
      msg: 'Input should be a valid dictionary or object to extract fields from',
      input: item,
    });
    return null;
  }
  const fields = item as Record<string, unknown>;
  const before = issues.length;
  const name = readString(fields, 'name', loc, issues);
  const level = readLevel(fields, loc, issues);
  const message = readString(fields, 'message', loc, issues);
  const timestamp = readDateTime(fields, 'timestamp', loc, issues);
  const flowRunId = readOptionalUuid(fields, 'flow_run_id', loc, issues);
  const taskRunId = readOptionalUuid(fields, 'task_run_id', loc, issues);
  for (const key of Object.keys(fields)) {
    if (issues.length >= MAX_BULK_ISSUES) break; // 190 000 unknown keys need not make 190 000 issues
    const value = fields[key];
    if (!LOG_CREATE_FIELDS.has(key)) {
      issues.push({
        type: 'extra_forbidden',
        loc: [...loc, key],
        msg: 'Extra inputs are not permitted',
        input: value,
      });
    }
  }
  if (issues.length > before) return null;
  return {
    name: name!,
    level: level!,
    message: message!,
    timestamp: timestamp!,
    flow_run_id: flowRunId ?? null,
    task_run_id: taskRunId ?? null,
  };
}

function missing(fields: Record<string, unknown>, key: string, loc: Loc, issues: ValidationIssue[]): boolean {
  if (fields[key] !== undefined) return false;
  issues.push({ type: 'missing', loc: [...loc, key], msg: 'Field required', input: fields });
  return true;
}

function readString(
  fields: Record<string, unknown>,
  key: string,
  loc: Loc,
  issues: ValidationIssue[],
): string | undefined {
  if (missing(fields, key, loc, issues)) return undefined;
  const value = fields[key];
  if (typeof value === 'string') return value;
  issues.push({
    type: 'string_type',
    loc: [...loc, key],
    msg: 'Input should be a valid string',
    input: value,
  });
  return undefined;
}

/** pydantic's lax int: integral numbers and integer strings. */
function readInt(
  fields: Record<string, unknown>,
  key: string,
  loc: Loc,
  issues: ValidationIssue[],
): number | undefined {
  if (missing(fields, key, loc, issues)) return undefined;
  const value = fields[key];
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return Number(value);
  issues.push(
    typeof value === 'number' && Number.isFinite(value)
      ? {
          type: 'int_from_float',
          loc: [...loc, key],
          msg: 'Input should be a valid integer, got a number with a fractional part',
          input: value,
        }
      : { type: 'int_type', loc: [...loc, key], msg: 'Input should be a valid integer', input: value },
  );
  return undefined;
}

/** The column is a smallint: a level outside it is a 422 here rather than a failed INSERT (500). */
const LEVEL_BOUNDS = { min: -32_768, max: 32_767 } as const;

function readLevel(fields: Record<string, unknown>, loc: Loc, issues: ValidationIssue[]): number | undefined {
  const level = readInt(fields, 'level', loc, issues);
  if (level === undefined || (level >= LEVEL_BOUNDS.min && level <= LEVEL_BOUNDS.max)) return level;
  const tooBig = level > LEVEL_BOUNDS.max;
  issues.push({
    type: tooBig ? 'less_than_equal' : 'greater_than_equal',
    loc: [...loc, 'level'],
    msg: `Input should be ${tooBig ? 'less' : 'greater'} than or equal to ${tooBig ? LEVEL_BOUNDS.max : LEVEL_BOUNDS.min}`,
    input: level,
    ctx: tooBig ? { le: LEVEL_BOUNDS.max } : { ge: LEVEL_BOUNDS.min },
  });
  return undefined;
}

/** Any ISO-8601 date-time (space separator, any offset, naive = UTC) or Unix seconds/milliseconds. */
function readDateTime(
  fields: Record<string, unknown>,
  key: string,
  loc: Loc,
  issues: ValidationIssue[],
): Instant | undefined {
  if (missing(fields, key, loc, issues)) return undefined;
  const value = fields[key];
  const parsed = laxDateTime(value);
  if (parsed.ok) return parsed.value;
  if (typeof value === 'string' || typeof value === 'number') {
    issues.push({ type: parsed.type, loc: [...loc, key], msg: parsed.msg, input: value });
    return undefined;
  }
  issues.push({
    type: 'datetime_type',
    loc: [...loc, key],
    msg: 'Input should be a valid datetime',
    input: value,
  });
  return undefined;
}

function readOptionalUuid(
  fields: Record<string, unknown>,
  key: string,
  loc: Loc,
  issues: ValidationIssue[],
): string | null | undefined {
  const value = fields[key];
  if (value === undefined || value === null) return null;
  const parsed = laxUuid(value);
  if (parsed.ok) return parsed.value;
  issues.push({ type: parsed.type, loc: [...loc, key], msg: parsed.msg, input: value });
  return undefined;
}
