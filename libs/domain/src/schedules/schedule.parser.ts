import { Instant } from '../instant';
import { laxBool, laxDateTime, laxDuration, laxInt } from '../lax-scalars';
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
      // Upstream fills a missing interval timezone from the anchor date (schedules.py
      // IntervalSchedule.validate_timezone → default_timezone): "UTC" for the offsets JSON carries.
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
    const dayOr = body.day_or === undefined ? ({ ok: true, value: true } as const) : laxBool(body.day_or);
    if (!dayOr.ok) {
      issues.push({ type: dayOr.type, loc: [...at, 'day_or'], msg: dayOr.msg, input: body.day_or });
    } else if (valid !== null) {
      // A cron timezone stays null when the client sends none (schedules.py CronSchedule:
      // default_timezone returns None without an anchor date); dates are computed in UTC then.
      schedule = { cron: valid, timezone, day_or: dayOr.value };
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
      // RRuleSchedule declares `timezone: Optional[TimeZone] = "UTC"`: "UTC" when the key is
      // absent, null when the client sends null (schedules.py RRuleSchedule).
      if (problem === null) {
        schedule = { rrule: withDtstart(rrule), timezone: 'timezone' in body ? timezone : 'UTC' };
      } else issues.push(valueError([...at, 'rrule'], problem, rrule));
    }
  }
  return issues.length > 0 || schedule === null ? { issues } : { schedule };
}

/**
 * `max_scheduled_runs`: a positive integer no larger than the server's cap
 * (PREFECT_SERVER_DEPLOYMENT_SCHEDULE_MAX_SCHEDULED_RUNS), or null.
 */
export function maxScheduledRunsIssue(rawValue: unknown, cap: number, loc: Loc): ScheduleIssue | null {
  if (rawValue === null || rawValue === undefined) return null;
  const parsed = laxInt(rawValue);
  if (!parsed.ok) return { type: parsed.type, loc, msg: parsed.msg, input: rawValue };
  const value = parsed.value;
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

/** A timedelta as pydantic reads it (laxDuration), in seconds; must be > 0. */
function parseSeconds(value: unknown, loc: Loc, issues: ScheduleIssue[]): number | null {
  const micros = laxDuration(value);
  if (!micros.ok) {
    issues.push({ type: micros.type, loc, msg: micros.msg, input: value });
    return null;
  }
  if (micros.value <= 0) {
    issues.push(valueError(loc, 'The interval must be positive', value));
    return null;
  }
  return micros.value / 1_000_000;
}

function parseAnchor(value: unknown, loc: Loc, issues: ScheduleIssue[]): Instant | null {
  if (value === undefined || value === null) return Instant.now();
  const parsed = laxDateTime(value);
  if (!parsed.ok) {
    issues.push({ type: parsed.type, loc, msg: parsed.msg, input: value });
    return null;
  }
  return parsed.value;
}
