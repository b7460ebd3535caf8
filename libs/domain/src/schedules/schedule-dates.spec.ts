import { Instant } from '../instant';
import type { Schedule } from './schedule.model';
import { pythonDateString, scheduleDates } from './schedule-dates';
import { fromWallClock, toWallClock } from './wall-clock';

const at = (iso: string) => Instant.parse(iso);
const iso = (dates: Instant[]) => dates.map((d) => d.toISOString().replace('.000000Z', 'Z'));
/** Local hours of the dates in `zone`. */
const hours = (dates: Instant[], zone: string) =>
  dates.map((d) => new Date(toWallClock(zone, d.epochMillis)).getUTCHours());
const utcHours = (dates: Instant[]) => hours(dates, 'UTC');
const dates = (schedule: Schedule, start: string, n: number, end: string | null = null) =>
  scheduleDates(schedule, { start: at(start), end: end === null ? null : at(end), n });

describe('wall clock', () => {
  it('places repeated readings at their first occurrence and skipped ones after the jump', () => {
    const ny = 'America/New_York';
    // 2026-11-01 01:30 happens twice in New York (EDT, then EST): the first one counts.
    expect(new Date(fromWallClock(ny, Date.UTC(2026, 10, 1, 1, 30))).toISOString()).toBe(
      '2026-11-01T05:30:00.000Z',
    );
    // 2026-03-08 02:30 does not exist: read with the offset before the jump (EST) = 03:30 EDT.
    expect(new Date(fromWallClock(ny, Date.UTC(2026, 2, 8, 2, 30))).toISOString()).toBe(
      '2026-03-08T07:30:00.000Z',
    );
    expect(new Date(fromWallClock('Europe/Berlin', Date.UTC(2026, 6, 1, 12))).toISOString()).toBe(
      '2026-07-01T10:00:00.000Z',
    );
  });
});

describe('interval schedules', () => {
  const every = (seconds: number, anchor: string, timezone = 'UTC'): Schedule => ({
    interval: seconds,
    anchor_date: anchor,
    timezone,
  });

  it('counts from the anchor, before or after it, at or after the start', () => {
    const s = every(600, '2026-01-01T00:05:00Z');
    expect(iso(dates(s, '2026-03-01T10:00:00Z', 3))).toEqual([
      '2026-03-01T10:05:00Z',
      '2026-03-01T10:15:00Z',
      '2026-03-01T10:25:00Z',
    ]);
    expect(iso(dates(s, '2026-03-01T10:05:00Z', 1))).toEqual(['2026-03-01T10:05:00Z']);
    // A start before the anchor still lands on the anchor's grid.
    expect(iso(dates(s, '2025-12-31T23:50:00Z', 2))).toEqual([
      '2025-12-31T23:55:00Z',
      '2026-01-01T00:05:00Z',
    ]);
    expect(iso(dates(s, '2026-03-01T10:00:00Z', 100, '2026-03-01T10:30:00Z'))).toHaveLength(3);
  });

  it('keeps microseconds of the anchor', () => {
    const s = every(10, '2026-01-01T00:00:00.123456Z');
    expect(dates(s, '2026-01-01T00:00:01Z', 1)[0]!.toISOString()).toBe('2026-01-01T00:00:10.123456Z');
  });

  it('hourly intervals are exact elapsed time across DST (America/New_York)', () => {
    const forward = dates(
      every(3600, '2018-03-10T23:00:00-05:00', 'America/New_York'),
      '2018-03-10T23:00:00-05:00',
      5,
    );
    expect(hours(forward, 'America/New_York')).toEqual([23, 0, 1, 3, 4]);
    expect(utcHours(forward)).toEqual([4, 5, 6, 7, 8]);
    const backward = dates(
      every(3600, '2018-11-03T23:00:00-04:00', 'America/New_York'),
      '2018-11-03T23:00:00-04:00',
      5,
    );
    expect(hours(backward, 'America/New_York')).toEqual([23, 0, 1, 1, 2]);
    expect(utcHours(backward)).toEqual([3, 4, 5, 6, 7]);
  });

  it('daily intervals keep the wall-clock hour across DST (New York and Berlin)', () => {
    const ny = every(86400, '2018-03-08T09:00:00-05:00', 'America/New_York');
    const forward = dates(ny, '2018-03-08T09:00:00-05:00', 5);
    expect(hours(forward, 'America/New_York')).toEqual([9, 9, 9, 9, 9]);
    expect(utcHours(forward)).toEqual([14, 14, 14, 13, 13]);
    // Far from the anchor (winter anchor, summer start) the hour is still 9.
    expect(hours(dates(ny, '2018-07-01T00:00:00Z', 3), 'America/New_York')).toEqual([9, 9, 9]);
    const berlin = every(86400, '2026-10-23T08:00:00+02:00', 'Europe/Berlin');
    const back = dates(berlin, '2026-10-23T08:00:00+02:00', 4);
    expect(hours(back, 'Europe/Berlin')).toEqual([8, 8, 8, 8]);
    expect(utcHours(back)).toEqual([6, 6, 7, 7]);
  });
});

describe('cron schedules', () => {
  const cron = (expression: string, timezone = 'UTC', day_or = true): Schedule => ({
    cron: expression,
    timezone,
    day_or,
  });

  it('returns the start itself when it matches, and respects n and end', () => {
    expect(iso(dates(cron('*/15 * * * *'), '2026-05-05T10:15:00Z', 3))).toEqual([
      '2026-05-05T10:15:00Z',
      '2026-05-05T10:30:00Z',
      '2026-05-05T10:45:00Z',
    ]);
    expect(iso(dates(cron('*/15 * * * *'), '2026-05-05T10:15:00.5Z', 1))).toEqual(['2026-05-05T10:30:00Z']);
    expect(dates(cron('0 0 * * *'), '2026-05-05T10:00:00Z', 100, '2026-05-08T00:00:00Z')).toHaveLength(3);
  });

  it('hourly cron at DST: skips the missing hour, fires the repeated hour once (America/New_York)', () => {
    const forward = dates(cron('0 * * * *', 'America/New_York'), '2018-03-10T23:00:00-05:00', 5);
    expect(hours(forward, 'America/New_York')).toEqual([23, 0, 1, 3, 4]);
    expect(utcHours(forward)).toEqual([4, 5, 6, 7, 8]);
    const backward = dates(cron('0 * * * *', 'America/New_York'), '2018-11-03T23:00:00-04:00', 5);
    expect(hours(backward, 'America/New_York')).toEqual([23, 0, 1, 2, 3]);
    expect(utcHours(backward)).toEqual([3, 4, 5, 7, 8]);
  });

  it('daily cron keeps its local hour across DST (New York, Berlin) and near the switch', () => {
    const ny = dates(cron('0 9 * * *', 'America/New_York'), '2018-03-08T09:00:00-05:00', 5);
    expect(utcHours(ny)).toEqual([14, 14, 14, 13, 13]);
    const berlin = dates(cron('30 2 * * *', 'Europe/Berlin'), '2026-03-27T00:00:00Z', 4);
    // 02:30 does not exist on 2026-03-29 in Berlin: it fires at 03:30 CEST instead.
    expect(iso(berlin)).toEqual([
      '2026-03-27T01:30:00Z',
      '2026-03-28T01:30:00Z',
      '2026-03-29T01:30:00Z',
      '2026-03-30T00:30:00Z',
    ]);
    const montreal = dates(cron('10 0 * * *', 'America/Montreal'), '2023-03-12T05:10:02Z', 5);
    expect(utcHours(montreal)).toEqual([4, 4, 4, 4, 4]);
    // 02:30 on the clocks-back night in Berlin happens twice; it fires once.
    const back = dates(cron('30 2 * * *', 'Europe/Berlin'), '2026-10-24T12:00:00Z', 3);
    expect(iso(back)).toEqual(['2026-10-25T00:30:00Z', '2026-10-26T01:30:00Z', '2026-10-27T01:30:00Z']);
  });

  it('day_or joins day-of-month and day-of-week with OR, or AND when false', () => {
    // The 13th of the month or any Friday, vs Friday the 13th.
    const either = dates(cron('0 0 13 * fri'), '2026-02-01T00:00:00Z', 4);
    expect(iso(either)).toEqual([
      '2026-02-06T00:00:00Z',
      '2026-02-13T00:00:00Z',
      '2026-02-20T00:00:00Z',
      '2026-02-27T00:00:00Z',
    ]);
    const both = dates(cron('0 0 13 * fri', 'UTC', false), '2026-01-01T00:00:00Z', 3);
    expect(iso(both)).toEqual(['2026-02-13T00:00:00Z', '2026-03-13T00:00:00Z', '2026-11-13T00:00:00Z']);
  });

  it('reads macros, names, L, nth weekdays, wrapping ranges and a seconds field', () => {
    expect(iso(dates(cron('@monthly'), '2026-01-15T00:00:00Z', 2))).toEqual([
      '2026-02-01T00:00:00Z',
      '2026-03-01T00:00:00Z',
    ]);
    expect(iso(dates(cron('0 0 L * *'), '2024-02-01T00:00:00Z', 2))).toEqual([
      '2024-02-29T00:00:00Z',
      '2024-03-31T00:00:00Z',
    ]);
    expect(iso(dates(cron('0 12 * * 5#2'), '2026-01-01T00:00:00Z', 2))).toEqual([
      '2026-01-09T12:00:00Z',
      '2026-02-13T12:00:00Z',
    ]);
    expect(iso(dates(cron('0 12 * * sunL'), '2026-01-01T00:00:00Z', 1))).toEqual(['2026-01-25T12:00:00Z']);
    expect(iso(dates(cron('0 0 * jan-feb sat-sun'), '2026-01-01T00:00:00Z', 2))).toEqual([
      '2026-01-03T00:00:00Z',
      '2026-01-04T00:00:00Z',
    ]);
    expect(iso(dates(cron('0 22-1 * * *'), '2026-01-01T12:00:00Z', 4))).toEqual([
      '2026-01-01T22:00:00Z',
      '2026-01-01T23:00:00Z',
      '2026-01-02T00:00:00Z',
      '2026-01-02T01:00:00Z',
    ]);
    expect(iso(dates(cron('* * * * * 30'), '2026-01-01T00:00:00Z', 2))).toEqual([
      '2026-01-01T00:00:30Z',
      '2026-01-01T00:01:30Z',
    ]);
    expect(dates(cron('0 0 30 2 *'), '2026-01-01T00:00:00Z', 3)).toEqual([]);
  });
});

describe('rrule schedules', () => {
  const rrule = (text: string, timezone = 'UTC'): Schedule => ({ rrule: text, timezone });

  it('expands from DTSTART, honouring COUNT from DTSTART and an inclusive UNTIL', () => {
    const counted = rrule('DTSTART:20260101T090000\nRRULE:FREQ=DAILY;COUNT=3');
    expect(iso(dates(counted, '2025-01-01T00:00:00Z', 10))).toEqual([
      '2026-01-01T09:00:00Z',
      '2026-01-02T09:00:00Z',
      '2026-01-03T09:00:00Z',
    ]);
    // COUNT counts from DTSTART, not from the start of the window.
    expect(iso(dates(counted, '2026-01-02T00:00:00Z', 10))).toEqual([
      '2026-01-02T09:00:00Z',
      '2026-01-03T09:00:00Z',
    ]);
    const until = rrule('DTSTART:20260101T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO,FR;UNTIL=20260112T090000');
    expect(iso(dates(until, '2025-01-01T00:00:00Z', 10))).toEqual([
      '2026-01-02T09:00:00Z',
      '2026-01-05T09:00:00Z',
      '2026-01-09T09:00:00Z',
      '2026-01-12T09:00:00Z',
    ]);
  });

  it('keeps the wall clock of the zone across DST; an hourly rule skips the missing hour', () => {
    const daily = dates(
      rrule('DTSTART:20180308T090000\nRRULE:FREQ=DAILY', 'America/New_York'),
      '2018-03-08T14:00:00Z',
      5,
    );
    expect(utcHours(daily)).toEqual([14, 14, 14, 13, 13]);
    const hourly = dates(
      rrule('DTSTART:20181103T230000\nRRULE:FREQ=HOURLY', 'America/New_York'),
      '2018-11-04T03:00:00Z',
      5,
    );
    expect(utcHours(hourly)).toEqual([3, 4, 5, 7, 8]);
    const berlin = dates(
      rrule('DTSTART:20260320T083000Z\nRRULE:FREQ=WEEKLY;BYDAY=FR', 'Europe/Berlin'),
      '2026-03-01T00:00:00Z',
      3,
    );
    // The `Z` is replaced by the schedule's zone (as Prefect does): 08:30 Berlin time, CET then CEST.
    expect(iso(berlin)).toEqual(['2026-03-20T07:30:00Z', '2026-03-27T07:30:00Z', '2026-04-03T06:30:00Z']);
  });

  it('reads monthly nth weekdays, BYSETPOS, BYMONTHDAY=-1, yearly BYMONTH and intervals', () => {
    expect(
      iso(dates(rrule('DTSTART:20260101T100000\nRRULE:FREQ=MONTHLY;BYDAY=-1FR'), '2026-01-01T00:00:00Z', 2)),
    ).toEqual(['2026-01-30T10:00:00Z', '2026-02-27T10:00:00Z']);
    expect(
      iso(
        dates(
          rrule('DTSTART:20260101T100000\nRRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1'),
          '2026-01-01T00:00:00Z',
          2,
        ),
      ),
    ).toEqual(['2026-01-30T10:00:00Z', '2026-02-27T10:00:00Z']);
    expect(
      iso(
        dates(rrule('DTSTART:20260101T000000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=-1'), '2026-02-01T00:00:00Z', 2),
      ),
    ).toEqual(['2026-02-28T00:00:00Z', '2026-03-31T00:00:00Z']);
    expect(
      iso(
        dates(
          rrule('DTSTART:20260101T000000\nRRULE:FREQ=YEARLY;BYMONTH=6,12;BYMONTHDAY=1'),
          '2026-01-01T00:00:00Z',
          3,
        ),
      ),
    ).toEqual(['2026-06-01T00:00:00Z', '2026-12-01T00:00:00Z', '2027-06-01T00:00:00Z']);
    expect(
      iso(dates(rrule('DTSTART:20260101T000000\nRRULE:FREQ=WEEKLY;INTERVAL=2'), '2026-01-02T00:00:00Z', 2)),
    ).toEqual(['2026-01-15T00:00:00Z', '2026-01-29T00:00:00Z']);
    expect(
      iso(dates(rrule('DTSTART:20260101T000000\nRRULE:FREQ=YEARLY;BYEASTER=0'), '2026-01-01T00:00:00Z', 2)),
    ).toEqual(['2026-04-05T00:00:00Z', '2027-03-28T00:00:00Z']);
    expect(
      iso(
        dates(
          rrule('DTSTART:20260101T000000\nRRULE:FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO'),
          '2026-01-01T00:00:00Z',
          2,
        ),
      ),
    ).toEqual(['2027-01-04T00:00:00Z', '2028-01-03T00:00:00Z']);
  });

  it('joins rules, RDATE, EXDATE and EXRULE into a set, and starts far past DTSTART', () => {
    const set = rrule(
      [
        'DTSTART:20260105T120000',
        'RRULE:FREQ=DAILY;BYDAY=MO,WE',
        'RDATE:20260106T080000',
        'EXDATE:20260107T120000',
        'EXRULE:FREQ=WEEKLY;BYDAY=MO;BYSETPOS=1;COUNT=1',
      ].join('\n'),
    );
    expect(iso(dates(set, '2026-01-01T00:00:00Z', 3))).toEqual([
      '2026-01-06T08:00:00Z',
      '2026-01-12T12:00:00Z',
      '2026-01-14T12:00:00Z',
    ]);
    // How long this takes is printed by `npm run bench:scheduler`.
    const minutely = rrule('DTSTART:20200101T000000\nRRULE:FREQ=MINUTELY;INTERVAL=7');
    const far = dates(minutely, '2026-06-01T00:00:00Z', 3);
    expect(far).toHaveLength(3);
    expect(far[0]!.epochMillis).toBeGreaterThanOrEqual(Date.UTC(2026, 5, 1));
    expect((far[0]!.epochMillis - Date.UTC(2020, 0, 1)) % (7 * 60_000)).toBe(0);
  });
});

describe('pythonDateString', () => {
  it("renders Python's str() of an aware datetime in the zone", () => {
    expect(pythonDateString(at('2026-08-21T12:00:00Z'), 'UTC')).toBe('2026-08-21 12:00:00+00:00');
    expect(pythonDateString(at('2026-08-21T12:00:00Z'), 'America/New_York')).toBe(
      '2026-08-21 08:00:00-04:00',
    );
    expect(pythonDateString(at('2026-01-21T12:00:00.0005Z'), 'Asia/Kolkata')).toBe(
      '2026-01-21 17:30:00.000500+05:30',
    );
  });
});
