/*
 * Expansion of RFC 5545 recurrence text as Prefect does it with dateutil: the rule set (RRULE, EXRULE,
 * RDATE, EXDATE; DTSTART defaulting to 2020-01-01) is read on the wall clock of the schedule's zone —
 * Prefect replaces every tzinfo (a `Z`, a TZID) by the schedule's zone without converting — so a
 * daily 9 am rule stays at 9 am across DST. Readings are placed on the time line like cron's
 * (first occurrence when repeated, shifted forward when skipped) and repeats are dropped.
 *
 * Rule semantics follow dateutil.rrule: default BYxxx parts from DTSTART, the expand/limit table of
 * RFC 5545 §3.3.10, nth weekdays relative to the year (or to BYMONTH's months) for YEARLY and to the
 * month for MONTHLY, BYSETPOS over each period's set, COUNT counted from DTSTART, UNTIL inclusive.
 */
import { fromWallClock, toWallClock } from './wall-clock';

const DAY_MS = 86_400_000;
const FREQS = ['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY', 'MINUTELY', 'SECONDLY'] as const;
type Freq = (typeof FREQS)[number];
const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const DEFAULT_DTSTART = Date.UTC(2020, 0, 1);
/** Periods visited per rule and expansion at most, so a rule that never matches cannot spin. */
const MAX_PERIODS = 200_000;

interface Rule {
  readonly freq: Freq;
  readonly interval: number;
  readonly count: number | null;
  readonly until: number | null;
  readonly wkst: number;
  readonly bySetPos: readonly number[];
  readonly byMonth: readonly number[];
  readonly byMonthDay: readonly number[];
  readonly byYearDay: readonly number[];
  readonly byEaster: readonly number[];
  readonly byWeekNo: readonly number[];
  readonly byWeekday: readonly number[];
  readonly byNthWeekday: readonly { weekday: number; n: number }[];
  readonly byHour: readonly number[] | null;
  readonly byMinute: readonly number[] | null;
  readonly bySecond: readonly number[] | null;
}

export interface CompiledRRuleSet {
  readonly dtstart: number;
  readonly rules: readonly Rule[];
  readonly exrules: readonly Rule[];
  readonly rdates: readonly number[];
  readonly exdates: ReadonlySet<number>;
}

/** `YYYYMMDD[THHMMSS[Z]]` as a wall-clock reading (the `Z` is dropped, as Prefect replaces zones). */
function parseDateTime(text: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z?)?$/i.exec(text.trim());
  if (m === null) throw new Error(`invalid date "${text}"`);
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0));
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
}

function ints(value: string): number[] {
  return value.split(',').map((v) => Number(v));
}

function parseRule(body: string, dtstart: number): Rule {
  const parts = new Map<string, string>();
  for (const part of body.split(';').filter((p) => p !== '')) {
    const [key, value] = part.split('=');
    parts.set(key!.toUpperCase(), value!);
  }
  const freq = parts.get('FREQ')!.toUpperCase() as Freq;
  const start = new Date(dtstart);
  let byMonth = parts.has('BYMONTH') ? ints(parts.get('BYMONTH')!) : [];
  let byMonthDay = parts.has('BYMONTHDAY') ? ints(parts.get('BYMONTHDAY')!) : [];
  const byYearDay = parts.has('BYYEARDAY') ? ints(parts.get('BYYEARDAY')!) : [];
  const byEaster = parts.has('BYEASTER') ? ints(parts.get('BYEASTER')!) : [];
  const byWeekNo = parts.has('BYWEEKNO') ? ints(parts.get('BYWEEKNO')!) : [];
  let byWeekday: number[] = [];
  const byNthWeekday: { weekday: number; n: number }[] = [];
  const dayText = parts.get('BYDAY') ?? parts.get('BYWEEKDAY');
  for (const item of dayText?.split(',') ?? []) {
    const m = /^([+-]?\d{1,2})?(SU|MO|TU|WE|TH|FR|SA)$/i.exec(item.trim());
    if (m === null) throw new Error(`invalid BYDAY "${item}"`);
    const weekday = WEEKDAYS.indexOf(m[2]!.toUpperCase());
    const n = m[1] === undefined ? 0 : Number(m[1]);
    // An nth weekday only means something for YEARLY and MONTHLY rules (dateutil drops the n).
    if (n !== 0 && (freq === 'YEARLY' || freq === 'MONTHLY')) byNthWeekday.push({ weekday, n });
    else byWeekday.push(weekday);
  }
  if (
    byWeekNo.length === 0 &&
    byYearDay.length === 0 &&
    byMonthDay.length === 0 &&
    dayText === undefined &&
    byEaster.length === 0
  ) {
    if (freq === 'YEARLY') {
      if (byMonth.length === 0) byMonth = [start.getUTCMonth() + 1];
      byMonthDay = [start.getUTCDate()];
    } else if (freq === 'MONTHLY') {
      byMonthDay = [start.getUTCDate()];
    } else if (freq === 'WEEKLY') {
      byWeekday = [start.getUTCDay()];
    }
  }
  const rank = FREQS.indexOf(freq);
  const list = (key: string, fallback: number, coarser: boolean): number[] | null =>
    parts.has(key) ? ints(parts.get(key)!) : coarser ? [fallback] : null;
  return {
    freq,
    interval: parts.has('INTERVAL') ? Math.max(1, Number(parts.get('INTERVAL'))) : 1,
    count: parts.has('COUNT') ? Number(parts.get('COUNT')) : null,
    until: parts.has('UNTIL') ? parseDateTime(parts.get('UNTIL')!) : null,
    wkst: parts.has('WKST') ? WEEKDAYS.indexOf(parts.get('WKST')!.toUpperCase()) : 1,
    bySetPos: parts.has('BYSETPOS') ? ints(parts.get('BYSETPOS')!) : [],
    byMonth,
    byMonthDay,
    byYearDay,
    byEaster,
    byWeekNo,
    byWeekday,
    byNthWeekday,
    byHour: list('BYHOUR', start.getUTCHours(), rank < FREQS.indexOf('HOURLY')),
    byMinute: list('BYMINUTE', start.getUTCMinutes(), rank < FREQS.indexOf('MINUTELY')),
    bySecond: list('BYSECOND', start.getUTCSeconds(), rank < FREQS.indexOf('SECONDLY')),
  };
}

/** Compiles text that rruleProblem() accepted. */
export function compileRRule(text: string): CompiledRRuleSet {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  let dtstart = DEFAULT_DTSTART;
  for (const line of lines) {
    if (line.toUpperCase().startsWith('DTSTART')) dtstart = parseDateTime(line.slice(line.indexOf(':') + 1));
  }
  const rules: Rule[] = [];
  const exrules: Rule[] = [];
  const rdates: number[] = [];
  const exdates = new Set<number>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = colon < 0 ? 'RRULE' : line.slice(0, colon).split(';')[0]!.toUpperCase();
    const body = colon < 0 ? line : line.slice(colon + 1);
    if (name === 'RRULE') rules.push(parseRule(body, dtstart));
    else if (name === 'EXRULE') exrules.push(parseRule(body, dtstart));
    else if (name === 'RDATE') rdates.push(...body.split(',').map(parseDateTime));
    else if (name === 'EXDATE') for (const d of body.split(',')) exdates.add(parseDateTime(d));
  }
  return { dtstart, rules, exrules, rdates, exdates };
}

// --- calendar helpers (all on UTC-fields wall-clock milliseconds) ---

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInYear(year: number): number {
  return isLeap(year) ? 366 : 365;
}

function daysInMonth(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

function yearDay0(day: Date): number {
  return Math.round((day.getTime() - Date.UTC(day.getUTCFullYear(), 0, 1)) / DAY_MS);
}

/** Gregorian Easter Sunday (anonymous computus), as a 0-based day of its year. */
function easterYearDay0(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return yearDay0(new Date(Date.UTC(year, month - 1, day)));
}

/** 0-based day of `year` on which its week 1 starts (may be negative): the first week with ≥ 4 days. */
function week1Start(year: number, wkst: number): number {
  const jan1 = new Date(Date.UTC(year, 0, 1)).getUTCDay();
  const intoWeek = (jan1 - wkst + 7) % 7;
  return intoWeek <= 3 ? -intoWeek : 7 - intoWeek;
}

function weeksInYear(year: number, wkst: number): number {
  return (daysInYear(year) + week1Start(year + 1, wkst) - week1Start(year, wkst)) / 7;
}

/** The ISO-style (week-year, week number) of a day, weeks starting on `wkst`. */
function weekOf(day: Date, wkst: number): { year: number; week: number } {
  const year = day.getUTCFullYear();
  const yd = yearDay0(day);
  const start = week1Start(year, wkst);
  if (yd < start) return { year: year - 1, week: weeksInYear(year - 1, wkst) };
  const week = Math.floor((yd - start) / 7) + 1;
  if (week > weeksInYear(year, wkst)) return { year: year + 1, week: 1 };
  return { year, week };
}

function nthWeekdayDays(from: number, days: number, weekday: number, n: number): number {
  // The day (ms) of the nth `weekday` in [from, from + days), counted from the end when n < 0.
  const firstWd = new Date(from).getUTCDay();
  const first = (weekday - firstWd + 7) % 7;
  const count = Math.floor((days - 1 - first) / 7) + 1;
  const index = n > 0 ? n - 1 : count + n;
  if (index < 0 || index >= count) return Number.NaN;
  return from + (first + index * 7) * DAY_MS;
}

/** The days of the period starting at `periodStart` (a day, ms) that pass the rule's day filters. */
function periodDays(rule: Rule, periodStart: number): number[] {
  const start = new Date(periodStart);
  const y = start.getUTCFullYear();
  const mo = start.getUTCMonth();
  let first: number;
  let length: number;
  switch (rule.freq) {
    case 'YEARLY':
      first = Date.UTC(y, 0, 1);
      length = daysInYear(y);
      break;
    case 'MONTHLY':
      first = Date.UTC(y, mo, 1);
      length = daysInMonth(y, mo);
      break;
    case 'WEEKLY':
      first = periodStart;
      length = 7;
      break;
    default:
      first = periodStart;
      length = 1;
  }
  // Days named by an nth weekday, relative to the year (or BYMONTH's months) or to the month.
  let nth: Set<number> | null = null;
  if (rule.byNthWeekday.length > 0) {
    nth = new Set();
    const ranges: [number, number][] = [];
    if (rule.freq === 'YEARLY' && rule.byMonth.length > 0) {
      for (const m of rule.byMonth) ranges.push([Date.UTC(y, m - 1, 1), daysInMonth(y, m - 1)]);
    } else if (rule.freq === 'YEARLY') ranges.push([Date.UTC(y, 0, 1), daysInYear(y)]);
    else ranges.push([Date.UTC(y, mo, 1), daysInMonth(y, mo)]);
    for (const [from, days] of ranges) {
      for (const { weekday, n } of rule.byNthWeekday) {
        const day = nthWeekdayDays(from, days, weekday, n);
        if (!Number.isNaN(day)) nth.add(day);
      }
    }
  }
  const result: number[] = [];
  for (let i = 0; i < length; i++) {
    const ms = first + i * DAY_MS;
    const day = new Date(ms);
    const dy = day.getUTCFullYear();
    const dm = day.getUTCMonth();
    const dd = day.getUTCDate();
    if (rule.byMonth.length > 0 && !rule.byMonth.includes(dm + 1)) continue;
    if (rule.byWeekNo.length > 0) {
      const { year, week } = weekOf(day, rule.wkst);
      const total = weeksInYear(year, rule.wkst);
      if (!rule.byWeekNo.some((w) => (w > 0 ? w === week : total + w + 1 === week))) continue;
    }
    if (rule.byWeekday.length > 0 && !rule.byWeekday.includes(day.getUTCDay())) continue;
    if (nth !== null && !nth.has(ms)) continue;
    if (rule.byEaster.length > 0) {
      const easter = easterYearDay0(dy);
      if (!rule.byEaster.includes(yearDay0(day) - easter)) continue;
    }
    if (rule.byMonthDay.length > 0) {
      const negative = dd - daysInMonth(dy, dm) - 1;
      if (!rule.byMonthDay.includes(dd) && !rule.byMonthDay.includes(negative)) continue;
    }
    if (rule.byYearDay.length > 0) {
      const yd = yearDay0(day) + 1;
      if (!rule.byYearDay.includes(yd) && !rule.byYearDay.includes(yd - daysInYear(dy) - 1)) continue;
    }
    result.push(ms);
  }
  return result;
}

const sorted = (values: readonly number[] | null): number[] | null =>
  values === null ? null : [...new Set(values)].sort((a, b) => a - b);

/** The start (wall ms) of period `p` of the rule. */
function periodStart(rule: Rule, dtstart: number, p: number): number {
  const s = new Date(dtstart);
  const y = s.getUTCFullYear();
  const mo = s.getUTCMonth();
  const d = s.getUTCDate();
  const step = p * rule.interval;
  switch (rule.freq) {
    case 'YEARLY':
      return Date.UTC(y + step, 0, 1);
    case 'MONTHLY':
      return Date.UTC(y, mo + step, 1);
    case 'WEEKLY': {
      const back = (s.getUTCDay() - rule.wkst + 7) % 7;
      return Date.UTC(y, mo, d - back + step * 7);
    }
    case 'DAILY':
      return Date.UTC(y, mo, d + step);
    case 'HOURLY':
      return Date.UTC(y, mo, d, s.getUTCHours() + step);
    case 'MINUTELY':
      return Date.UTC(y, mo, d, s.getUTCHours(), s.getUTCMinutes() + step);
    case 'SECONDLY':
      return Date.UTC(y, mo, d, s.getUTCHours(), s.getUTCMinutes(), s.getUTCSeconds() + step);
  }
}

const APPROX_PERIOD_MS: Readonly<Record<Freq, number>> = {
  YEARLY: 365.2425 * DAY_MS,
  MONTHLY: 30.436875 * DAY_MS,
  WEEKLY: 7 * DAY_MS,
  DAILY: DAY_MS,
  HOURLY: 3_600_000,
  MINUTELY: 60_000,
  SECONDLY: 1000,
};

/** The candidate readings of one period, in order, before BYSETPOS. */
function periodSet(rule: Rule, start: number): number[] {
  const hours = sorted(rule.byHour);
  const minutes = sorted(rule.byMinute);
  const seconds = sorted(rule.bySecond);
  const s = new Date(start);
  if (rule.freq === 'HOURLY' || rule.freq === 'MINUTELY' || rule.freq === 'SECONDLY') {
    const dayStart = Date.UTC(s.getUTCFullYear(), s.getUTCMonth(), s.getUTCDate());
    if (periodDays({ ...rule, freq: 'DAILY' }, dayStart).length === 0) return [];
    if (hours !== null && !hours.includes(s.getUTCHours())) return [];
    const hourStart = dayStart + s.getUTCHours() * 3_600_000;
    if (rule.freq === 'HOURLY') {
      return (minutes ?? [0]).flatMap((m) =>
        (seconds ?? [0]).map((sec) => hourStart + m * 60_000 + sec * 1000),
      );
    }
    if (minutes !== null && !minutes.includes(s.getUTCMinutes())) return [];
    const minuteStart = hourStart + s.getUTCMinutes() * 60_000;
    if (rule.freq === 'MINUTELY') return (seconds ?? [0]).map((sec) => minuteStart + sec * 1000);
    if (seconds !== null && !seconds.includes(s.getUTCSeconds())) return [];
    return [start];
  }
  const times = (hours ?? [0]).flatMap((h) =>
    (minutes ?? [0]).flatMap((m) => (seconds ?? [0]).map((sec) => h * 3_600_000 + m * 60_000 + sec * 1000)),
  );
  return periodDays(rule, start).flatMap((day) => times.map((t) => day + t));
}

/** Readings of one rule from DTSTART on, within [fromWall, toWall], honouring COUNT and UNTIL. */
function ruleReadings(rule: Rule, dtstart: number, fromWall: number, toWall: number, cap: number): number[] {
  const out: number[] = [];
  let produced = 0;
  // Without COUNT nothing before `fromWall` matters, so skip whole periods up to just before it.
  let p =
    rule.count === null
      ? Math.max(0, Math.floor((fromWall - dtstart) / (APPROX_PERIOD_MS[rule.freq] * rule.interval)) - 2)
      : 0;
  for (let visited = 0; visited < MAX_PERIODS; visited++, p++) {
    const start = periodStart(rule, dtstart, p);
    // A period starts before any of its readings, so past the end or UNTIL nothing more can come.
    if (start > toWall || (rule.until !== null && start > rule.until)) break;
    let set = periodSet(rule, start);
    if (rule.bySetPos.length > 0) {
      const picked = rule.bySetPos
        .map((pos) => (pos > 0 ? set[pos - 1] : set[set.length + pos]))
        .filter((v): v is number => v !== undefined);
      set = [...new Set(picked)].sort((a, b) => a - b);
    }
    for (const reading of set) {
      if (reading < dtstart) continue;
      if (rule.until !== null && reading > rule.until) return out;
      produced += 1;
      if (rule.count !== null && produced > rule.count) return out;
      if (reading > toWall) return out;
      if (reading >= fromWall) {
        out.push(reading);
        if (out.length >= cap) return out;
      }
    }
  }
  return out;
}

/**
 * Instants (epoch ms) of the rule set at or after `startMs`, in order, at most `n`, none after
 * `endMs` when given (without an end, readings are looked for up to ten years ahead).
 */
export function rruleDates(
  set: CompiledRRuleSet,
  zone: string,
  startMs: number,
  n: number,
  endMs: number | null,
  maxIterations = 1000,
): number[] {
  // Readings are wall-clock; a day's margin on each side covers any zone offset.
  const fromWall = toWallClock(zone, startMs) - DAY_MS;
  const toWall = endMs === null ? fromWall + 3660 * DAY_MS : toWallClock(zone, endMs) + DAY_MS;
  const cap = n + maxIterations + 48;
  const excluded = new Set(set.exdates);
  for (const rule of set.exrules) {
    for (const r of ruleReadings(rule, set.dtstart, fromWall, toWall, Number.MAX_SAFE_INTEGER))
      excluded.add(r);
  }
  const readings = new Set<number>();
  for (const rule of set.rules) {
    for (const r of ruleReadings(rule, set.dtstart, fromWall, toWall, cap)) readings.add(r);
  }
  for (const r of set.rdates) if (r >= fromWall && r <= toWall) readings.add(r);
  const instants = new Set<number>();
  for (const reading of [...readings].sort((a, b) => a - b)) {
    if (excluded.has(reading)) continue;
    const instant = fromWallClock(zone, reading);
    if (instant < startMs || (endMs !== null && instant > endMs)) continue;
    instants.add(instant);
  }
  return [...instants].sort((a, b) => a - b).slice(0, n);
}
