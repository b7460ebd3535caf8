import { Instant } from '../instant';
import { cronProblem } from './cron-expression';
import { rruleProblem, withDtstart } from './rrule-text';
import type { Schedule, ScheduleIssue } from './schedule.model';

type Loc = ReadonlyArray<string | number>;

const SHAPES = {
  IntervalSchedule: ['interval', 'anchor_date', 'timezone'],
  CronSchedule: ['cron', 'timezone', 'day_or'],
  RRuleSchedule: ['rrule', 'timezone'],
} as const;

/**
 * Validates one schedule body (`IntervalSchedule | CronSchedule | RRuleSchedule`) as Prefect's
 * schemas/schedules.py does, choosing the shape by its distinguishing key. Issues are located
 * like pydantic's union errors: `[...loc, "CronSchedule", "cron"]`.
 */
export function parseSchedule(
  input: unknown,
  loc: Loc,
): { schedule: Schedule } | { issues: ScheduleIssue[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return {
      issues: [{ type: 'model_type', loc, msg: 'Input should be a valid dictionary or object', input }],
    };
  }
  const body = input as Record<string, unknown>;
  const shape =
    'interval' in body
      ? 'IntervalSchedule'
      : 'cron' in body
        ? 'CronSchedule'
        : 'rrule' in body
          ? 'RRuleSchedule'
          : null;
  if (shape === null) {
    return {
      issues: Object.entries({
        IntervalSchedule: 'interval',
        CronSchedule: 'cron',
        RRuleSchedule: 'rrule',
      }).map(([name, key]) => ({ type: 'missing', loc: [...loc, name, key], msg: 'Field required', input })),
    };
  }
  const at = [...loc, shape];
  const issues: ScheduleIssue[] = [];
  const allowed: readonly string[] = SHAPES[shape];
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) {
      issues.push({
        type: 'extra_forbidden',
        loc: [...at, key],
        msg: 'Extra inputs are not permitted',
        input: body[key],
      });
    }
  }
  const timezone = parseTimezone(body.timezone, [...at, 'timezone'], issues);
  let schedule: Schedule | null = null;
  if (shape === 'IntervalSchedule') {
    const interval = parseSeconds(body.interval, [...at, 'interval'], issues);
    const anchor = parseAnchor(body.anchor_date, [...at, 'anchor_date'], issues);
    if (interval !== null && anchor !== null) {
      schedule = { interval, anchor_date: anchor.toISOString(), timezone: timezone ?? 'UTC' };
    }
  } else if (shape === 'CronSchedule') {
    const cron = body.cron;
    let valid: string | null = null;
    if (typeof cron !== 'string') {
      issues.push({
        type: 'string_type',
        loc: [...at, 'cron'],
        msg: 'Input should be a valid string',
        input: cron,
      });
    } else {
      const problem = cronProblem(cron);
      if (problem === null) valid = cron;
      else issues.push(valueError([...at, 'cron'], problem, cron));
    }
    const dayOr = body.day_or ?? true;
    if (typeof dayOr !== 'boolean') {
      issues.push({
        type: 'bool_type',
        loc: [...at, 'day_or'],
        msg: 'Input should be a valid boolean',
        input: dayOr,
      });
    } else if (valid !== null) {
      schedule = { cron: valid, timezone: timezone ?? 'UTC', day_or: dayOr };
    }
  } else {
    const rrule = body.rrule;
    if (typeof rrule !== 'string') {
      issues.push({
        type: 'string_type',
        loc: [...at, 'rrule'],
        msg: 'Input should be a valid string',
        input: rrule,
      });
    } else {
      const problem = rruleProblem(rrule);
      if (problem === null) schedule = { rrule: withDtstart(rrule), timezone: timezone ?? 'UTC' };
      else issues.push(valueError([...at, 'rrule'], problem, rrule));
    }
  }
  return issues.length > 0 || schedule === null ? { issues } : { schedule };
}

/**
 * `max_scheduled_runs`: a positive integer no larger than the server's cap
 * (PREFECT_SERVER_DEPLOYMENT_SCHEDULE_MAX_SCHEDULED_RUNS), or null.
 */
export function maxScheduledRunsIssue(value: unknown, cap: number, loc: Loc): ScheduleIssue | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return { type: 'int_type', loc, msg: 'Input should be a valid integer', input: value };
  }
  if (value <= 0) return { type: 'greater_than', loc, msg: 'Input should be greater than 0', input: value };
  if (value > cap)
    return valueError(loc, `\`max_scheduled_runs\` must be less than or equal to ${cap}.`, value);
  return null;
}

function valueError(loc: Loc, message: string, input: unknown): ScheduleIssue {
  return { type: 'value_error', loc, msg: `Value error, ${message}`, input };
}

function parseTimezone(value: unknown, loc: Loc, issues: ScheduleIssue[]): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    issues.push({ type: 'string_type', loc, msg: 'Input should be a valid string', input: value });
    return null;
  }
  if (!isTimezone(value)) {
    issues.push(valueError(loc, `Invalid timezone: "${value}"`, value));
    return null;
  }
  return value;
}

/** An IANA zone name the runtime knows (Intl carries the same tz database Prefect validates against). */
export function isTimezone(name: string): boolean {
  if (name === '' || name.startsWith('+') || name.startsWith('-')) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const ISO_DURATION =
  /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/** A timedelta as pydantic reads it: seconds as a number, or an ISO-8601 duration; must be > 0. */
function parseSeconds(value: unknown, loc: Loc, issues: ScheduleIssue[]): number | null {
  let seconds: number | null = null;
  if (typeof value === 'number' && Number.isFinite(value)) seconds = value;
  else if (typeof value === 'string') {
    const m = ISO_DURATION.exec(value.trim());
    if (m !== null && value.trim() !== 'P' && !value.trim().toUpperCase().endsWith('T')) {
      const [w, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
      seconds = w! * 604800 + d! * 86400 + h! * 3600 + mi! * 60 + s!;
    } else if (/^-?\d+(\.\d+)?$/.test(value.trim())) seconds = Number(value);
  }
  if (seconds === null) {
    issues.push({ type: 'time_delta_parsing', loc, msg: 'Input should be a valid timedelta', input: value });
    return null;
  }
  if (seconds <= 0) {
    issues.push(valueError(loc, 'The interval must be positive', value));
    return null;
  }
  return seconds;
}

function parseAnchor(value: unknown, loc: Loc, issues: ScheduleIssue[]): Instant | null {
  if (value === undefined || value === null) return Instant.now();
  const parsed = typeof value === 'string' ? Instant.tryParse(value) : null;
  if (parsed === null) {
    issues.push({
      type: 'datetime_from_date_parsing',
      loc,
      msg: 'Input should be a valid datetime',
      input: value,
    });
  }
  return parsed;
}
