import { Instant } from '../instant';

/** `IntervalSchedule`: every `interval` seconds from `anchor_date`, in `timezone`. */
export interface IntervalSchedule {
  readonly interval: number;
  readonly anchor_date: string;
  readonly timezone: string | null;
}

/** `CronSchedule`: `day_or` false means day-of-month AND day-of-week must both match. */
export interface CronSchedule {
  readonly cron: string;
  readonly timezone: string | null;
  readonly day_or: boolean;
}

/** `RRuleSchedule`: RFC 5545 recurrence text, kept as validated text. */
export interface RRuleSchedule {
  readonly rrule: string;
  readonly timezone: string | null;
}

export type Schedule = IntervalSchedule | CronSchedule | RRuleSchedule;

/** One pydantic-style validation problem, located relative to the request body. */
export interface ScheduleIssue {
  readonly type: string;
  readonly loc: ReadonlyArray<string | number>;
  readonly msg: string;
  readonly input: unknown;
}

/** Prefect's PREFECT_SERVER_DEPLOYMENT_SCHEDULE_MAX_SCHEDULED_RUNS default. */
export const DEFAULT_MAX_SCHEDULED_RUNS = 50;

/** Serialises a stored schedule for the wire (interval seconds as a float, anchor in UTC micros). */
export function scheduleToWire(schedule: Schedule): Record<string, unknown> {
  if ('interval' in schedule) {
    return {
      interval: schedule.interval,
      anchor_date: Instant.parse(schedule.anchor_date).toISOString(),
      timezone: schedule.timezone,
    };
  }
  if ('cron' in schedule)
    return { cron: schedule.cron, timezone: schedule.timezone, day_or: schedule.day_or };
  return { rrule: schedule.rrule, timezone: schedule.timezone };
}
