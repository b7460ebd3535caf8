/*
 * Occurrences of a cron expression (croniter semantics as Prefect uses them): fields are matched on
 * the wall clock of the schedule's zone, so "0 9 * * *" stays at 9 am across DST. A wall time that
 * occurs twice (clocks back) fires once, at its first occurrence; a wall time skipped (clocks forward)
 * fires at the same distance after the jump (2:30 → 3:30). `day_or` joins a restricted day-of-month
 * and a restricted day-of-week with OR (cron) or AND (fcron).
 */
import { fromWallClock, toWallClock } from './wall-clock';

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Day-of-week items beyond a plain set: `5#2` (2nd Friday) and `5L` (last Friday). */
interface NthWeekday {
  readonly weekday: number;
  /** 1..5, or -1 for "last". */
  readonly nth: number;
}

export interface CompiledCron {
  readonly seconds: ReadonlySet<number>;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly monthDays: ReadonlySet<number>;
  readonly lastMonthDay: boolean;
  readonly months: ReadonlySet<number>;
  readonly weekdays: ReadonlySet<number>;
  readonly nthWeekdays: readonly NthWeekday[];
  readonly domRestricted: boolean;
  readonly dowRestricted: boolean;
  readonly dayOr: boolean;
}

function fieldValue(text: string, names: readonly string[] | undefined, offset: number): number {
  if (/^\d+$/.test(text)) return Number(text);
  const index = names?.indexOf(text.toLowerCase()) ?? -1;
  if (index < 0) throw new Error(`invalid cron value "${text}"`);
  return index + offset;
}

function expandField(
  field: string,
  min: number,
  max: number,
  names?: readonly string[],
  nameOffset = 0,
): Set<number> {
  const values = new Set<number>();
  for (const item of field.split(',')) {
    const [range, stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let low: number;
    let high: number;
    if (range === '*' || range === '?') {
      low = min;
      high = max;
    } else if (range!.includes('-')) {
      const [a, b] = range!.split('-');
      low = fieldValue(a!, names, nameOffset);
      high = fieldValue(b!, names, nameOffset);
    } else {
      low = fieldValue(range!, names, nameOffset);
      // `a/n` means from a to the end of the range, every n.
      high = stepText === undefined ? low : max;
    }
    if (low <= high) {
      for (let v = low; v <= high; v += step) values.add(v);
    } else {
      // A wrapping range (`fri-mon`, `22-2`).
      const span = max - min + 1;
      for (let i = 0; low + i <= high + span; i += step) {
        const v = low + i;
        values.add(v > max ? v - span : v);
      }
    }
  }
  return values;
}

/** Compiles a cron string that cronProblem() accepted. */
export function compileCron(expression: string, dayOr: boolean): CompiledCron {
  const text = MACROS[expression.trim().toLowerCase()] ?? expression.trim();
  const fields = text.split(/\s+/);
  const [minute, hour, dom, month, dow, second] = fields as [string, string, string, string, string, string?];
  const monthDayItems = dom.split(',');
  const lastMonthDay = monthDayItems.some((i) => i.toLowerCase() === 'l');
  const plainDom = monthDayItems.filter((i) => i.toLowerCase() !== 'l');
  const monthDays = plainDom.length === 0 ? new Set<number>() : expandField(plainDom.join(','), 1, 31);
  const nthWeekdays: NthWeekday[] = [];
  const plainDow: string[] = [];
  for (const item of dow.split(',')) {
    const nth = /^([a-z0-9]+)#([1-5])$/i.exec(item);
    const last = /^([a-z0-9]+)l$/i.exec(item);
    if (nth !== null) nthWeekdays.push({ weekday: fieldValue(nth[1]!, DAYS, 0) % 7, nth: Number(nth[2]) });
    else if (last !== null) nthWeekdays.push({ weekday: fieldValue(last[1]!, DAYS, 0) % 7, nth: -1 });
    else plainDow.push(item);
  }
  const weekdays = new Set(
    [...(plainDow.length === 0 ? [] : expandField(plainDow.join(','), 0, 7, DAYS))].map((d) => d % 7),
  );
  const domRestricted = lastMonthDay || monthDays.size < 31;
  const dowRestricted = nthWeekdays.length > 0 || weekdays.size < 7;
  return {
    seconds: second === undefined ? new Set([0]) : expandField(second, 0, 59),
    minutes: expandField(minute, 0, 59),
    hours: expandField(hour, 0, 23),
    monthDays,
    lastMonthDay,
    months: expandField(month, 1, 12, MONTHS, 1),
    weekdays,
    nthWeekdays,
    domRestricted,
    dowRestricted,
    dayOr,
  };
}

function daysInMonth(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

function dayMatches(cron: CompiledCron, wall: Date): boolean {
  const year = wall.getUTCFullYear();
  const month0 = wall.getUTCMonth();
  const day = wall.getUTCDate();
  const weekday = wall.getUTCDay();
  const length = daysInMonth(year, month0);
  const domMatch = cron.monthDays.has(day) || (cron.lastMonthDay && day === length);
  const dowMatch =
    cron.weekdays.has(weekday) ||
    cron.nthWeekdays.some(
      (n) => n.weekday === weekday && (n.nth === -1 ? day + 7 > length : Math.ceil(day / 7) === n.nth),
    );
  if (!cron.domRestricted) return dowMatch;
  if (!cron.dowRestricted) return domMatch;
  return cron.dayOr ? domMatch || dowMatch : domMatch && dowMatch;
}

/** No match this far ahead means none at all (e.g. "0 0 30 2 *"). */
const SEARCH_YEARS = 8;

/** The first wall-clock reading strictly after `wallMs` that the expression matches, or null. */
export function nextCronWallTime(cron: CompiledCron, wallMs: number): number | null {
  let t = new Date(Math.floor(wallMs / 1000) * 1000 + 1000);
  const limit = t.getUTCFullYear() + SEARCH_YEARS;
  while (t.getUTCFullYear() <= limit) {
    const y = t.getUTCFullYear();
    const mo = t.getUTCMonth();
    if (!cron.months.has(mo + 1)) {
      t = new Date(Date.UTC(y, mo + 1, 1));
      continue;
    }
    if (!dayMatches(cron, t)) {
      t = new Date(Date.UTC(y, mo, t.getUTCDate() + 1));
      continue;
    }
    const d = t.getUTCDate();
    if (!cron.hours.has(t.getUTCHours())) {
      t = new Date(Date.UTC(y, mo, d, t.getUTCHours() + 1));
      continue;
    }
    const h = t.getUTCHours();
    if (!cron.minutes.has(t.getUTCMinutes())) {
      t = new Date(Date.UTC(y, mo, d, h, t.getUTCMinutes() + 1));
      continue;
    }
    if (!cron.seconds.has(t.getUTCSeconds())) {
      t = new Date(t.getTime() + 1000);
      continue;
    }
    return t.getTime();
  }
  return null;
}

/**
 * Instants (epoch ms) of the expression at or after `startMs`, in order, at most `n`, none after
 * `endMs` when given. Candidate readings are visited on the zone's wall clock; each is placed on the
 * time line with the first-occurrence / shift-forward rule, and repeats are dropped.
 */
export function cronDates(
  cron: CompiledCron,
  zone: string,
  startMs: number,
  n: number,
  endMs: number | null,
  maxIterations = 1000,
): number[] {
  const dates: number[] = [];
  const seen = new Set<number>();
  // One second before the start so that the start itself is returned when it matches; a start with
  // a fraction of a second is rounded up first (croniter).
  const start = Math.ceil(startMs / 1000) * 1000;
  let wall = toWallClock(zone, start) - 1000;
  // Readings of a repeated hour map to their first occurrence, which may precede `start`: skipped.
  for (let counter = 0; counter <= maxIterations && dates.length < n; counter++) {
    const next = nextCronWallTime(cron, wall);
    if (next === null) break;
    wall = next;
    const instant = fromWallClock(zone, next);
    if (instant < start) continue;
    if (endMs !== null && instant > endMs) break;
    if (seen.has(instant)) continue;
    seen.add(instant);
    dates.push(instant);
  }
  return dates.sort((a, b) => a - b);
}
