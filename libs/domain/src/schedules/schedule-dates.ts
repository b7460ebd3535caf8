/*
 * The dates a stored schedule produces in a window — what the scheduler turns into runs — and the
 * idempotency-key rendering of a date.
 */
import { Instant } from '../instant';
import { compileCron, cronDates } from './cron-dates';
import { intervalDates } from './interval-dates';
import { compileRRule, rruleDates } from './rrule-dates';
import type { Schedule } from './schedule.model';
import { toWallClock } from './wall-clock';

/** Prefect's cap on candidate dates looked at per call. */
export const MAX_SCHEDULE_ITERATIONS = 1000;

export interface ScheduleWindow {
  /** The first date is at or after this. */
  readonly start: Instant;
  /** No date is after this (null: none). */
  readonly end: Instant | null;
  /** At most this many dates. */
  readonly n: number;
}

/** The schedule's zone; a null zone means UTC (Prefect's default). */
export function scheduleZone(schedule: Schedule): string {
  return schedule.timezone ?? 'UTC';
}

/**
 * The schedule's dates in the window, ascending, without repeats. Each schedule kind reads its
 * fields on the wall clock of its zone (see cron-dates, interval-dates, rrule-dates for DST rules).
 */
export function scheduleDates(schedule: Schedule, window: ScheduleWindow): Instant[] {
  const zone = scheduleZone(schedule);
  if (window.n <= 0) return [];
  if ('interval' in schedule) {
    return intervalDates(
      {
        anchorMicros: Instant.parse(schedule.anchor_date).epochMicros,
        intervalSeconds: schedule.interval,
        zone,
      },
      window.start.epochMicros,
      window.n,
      window.end?.epochMicros ?? null,
      MAX_SCHEDULE_ITERATIONS,
    ).map((micros) => Instant.fromEpochMicros(micros));
  }
  const startMs = Math.ceil(window.start.epochMicros / 1000);
  const endMs = window.end === null ? null : Math.floor(window.end.epochMicros / 1000);
  const dates =
    'cron' in schedule
      ? cronDates(
          compileCron(schedule.cron, schedule.day_or),
          zone,
          startMs,
          window.n,
          endMs,
          MAX_SCHEDULE_ITERATIONS,
        )
      : rruleDates(compileRRule(schedule.rrule), zone, startMs, window.n, endMs, MAX_SCHEDULE_ITERATIONS);
  return dates.map((ms) => Instant.fromEpochMillis(ms));
}

/**
 * A date as Python's `str()` renders an aware datetime in the schedule's zone — the form upstream
 * (Python ≥ 3.13) puts in a scheduled run's idempotency key: `2026-08-21 08:00:00-04:00`, with
 * `.ffffff` only when there are microseconds.
 */
export function pythonDateString(date: Instant, zone: string): string {
  const ms = Math.floor(date.epochMicros / 1000);
  const micros = date.epochMicros - ms * 1000 + (ms % 1000) * 1000;
  const wholeMs = ms - (ms % 1000);
  const wall = new Date(toWallClock(zone, wholeMs));
  const offsetMinutes = Math.round((wall.getTime() - wholeMs) / 60_000);
  const pad = (v: number, w = 2) => String(v).padStart(w, '0');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const fraction = micros === 0 ? '' : `.${pad(micros, 6)}`;
  return (
    `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())} ` +
    `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}${fraction}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}
