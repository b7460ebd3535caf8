import { cronProblem } from './cron-expression';
import { rruleProblem, withDtstart } from './rrule-text';
import { maxScheduledRunsIssue, parseSchedule } from './schedule.parser';

describe('parseSchedule', () => {
  const loc = ['body', 'schedule'];

  it('reads an interval in seconds or as an ISO-8601 duration, defaulting the timezone to UTC', () => {
    expect(parseSchedule({ interval: 3600, anchor_date: '2026-01-01 00:00:00+01:00' }, loc)).toEqual({
      schedule: { interval: 3600, anchor_date: '2025-12-31T23:00:00.000000Z', timezone: 'UTC' },
    });
    expect(parseSchedule({ interval: 'PT1H30M', timezone: 'Europe/Paris' }, loc)).toMatchObject({
      schedule: { interval: 5400, timezone: 'Europe/Paris' },
    });
  });

  it.each([
    [{ interval: 0 }, 'interval', 'value_error'],
    [{ interval: -5 }, 'interval', 'value_error'],
    [{ interval: 'soon' }, 'interval', 'time_delta_parsing'],
    [{ interval: 60, anchor_date: 'yesterday' }, 'anchor_date', 'datetime_from_date_parsing'],
    [{ interval: 60, timezone: 'Mars/Olympus' }, 'timezone', 'value_error'],
    [{ interval: 60, every: 2 }, 'every', 'extra_forbidden'],
  ])('rejects the interval schedule %j at %s', (input, field, type) => {
    expect(parseSchedule(input, loc)).toEqual({
      issues: [expect.objectContaining({ loc: [...loc, 'IntervalSchedule', field], type })],
    });
  });

  it('keeps timezones as upstream: interval → UTC, cron → null, rrule → UTC when absent and null when null', () => {
    // schedules.py: IntervalSchedule and CronSchedule run default_timezone (anchor date's zone or
    // None); RRuleSchedule declares `timezone: Optional[TimeZone] = "UTC"`.
    const interval = parseSchedule({ interval: 'PT1H', anchor_date: 1796592552, timezone: null }, loc);
    expect(interval).toEqual({
      schedule: { interval: 3600, anchor_date: '2026-12-06T21:29:12.000000Z', timezone: 'UTC' },
    });
    expect(parseSchedule({ cron: '* * * * *', timezone: null }, loc)).toMatchObject({
      schedule: { timezone: null },
    });
    expect(parseSchedule({ rrule: 'FREQ=DAILY' }, loc)).toMatchObject({ schedule: { timezone: 'UTC' } });
    expect(parseSchedule({ rrule: 'FREQ=DAILY', timezone: null }, loc)).toMatchObject({
      schedule: { timezone: null },
    });
    expect(parseSchedule({ interval: '3600' }, loc)).toMatchObject({
      issues: [{ type: 'time_delta_parsing' }],
    });
  });

  it('reads cron schedules with day_or defaulting to true', () => {
    expect(parseSchedule({ cron: '0 9 * * mon-fri' }, loc)).toEqual({
      // schedules.py CronSchedule.validate_timezone: no anchor date, so a missing timezone stays None.
      schedule: { cron: '0 9 * * mon-fri', timezone: null, day_or: true },
    });
    expect(parseSchedule({ cron: '0 9 * * *', timezone: null, day_or: 'yes' }, loc)).toEqual({
      schedule: { cron: '0 9 * * *', timezone: null, day_or: true },
    });
    expect(parseSchedule({ cron: '@daily', day_or: false, timezone: 'America/New_York' }, loc)).toEqual({
      schedule: { cron: '@daily', timezone: 'America/New_York', day_or: false },
    });
  });

  it('rejects invalid cron strings and random/hashed expressions', () => {
    expect(parseSchedule({ cron: '61 * * * *' }, loc)).toEqual({
      issues: [
        expect.objectContaining({
          loc: [...loc, 'CronSchedule', 'cron'],
          msg: 'Value error, Invalid cron string: "61 * * * *"',
        }),
      ],
    });
    expect(cronProblem('H * * * *')).toMatch(/Random and Hashed/);
    expect(parseSchedule({ cron: '0 0 * * *', day_or: 'maybe' }, loc)).toMatchObject({
      issues: [{ type: 'bool_parsing' }],
    });
  });

  it.each([
    '* * * * *',
    '*/15 0-6,22 1,15 jan-mar *',
    '0 0 L * ?',
    '0 12 * * 5#2',
    '0 0 * * 7',
    '0 0 * * * 30',
  ])('accepts the cron string %s', (cron) => expect(cronProblem(cron)).toBeNull());

  it.each([
    '',
    '* * * *',
    '* * * * * * *',
    '*/0 * * * *',
    '0 24 * * *',
    '0 0 32 * *',
    '0 0 * 13 *',
    'a b c d e',
  ])('refuses the cron string %j', (cron) => expect(cronProblem(cron)).not.toBeNull());

  it('keeps rrules as validated text', () => {
    const rrule = 'DTSTART:20260101T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO,WE;INTERVAL=2';
    expect(parseSchedule({ rrule, timezone: 'UTC' }, loc)).toEqual({ schedule: { rrule, timezone: 'UTC' } });
    expect(rruleProblem('FREQ=DAILY;COUNT=3')).toBeNull();
    const pinned = parseSchedule({ rrule: 'FREQ=DAILY;COUNT=3' }, loc);
    expect(pinned).toEqual({
      schedule: {
        rrule: expect.stringMatching(/^DTSTART:\d{8}T\d{6}\nRRULE:FREQ=DAILY;COUNT=3$/),
        timezone: 'UTC',
      },
    });
    expect(withDtstart('RRULE:FREQ=HOURLY', new Date('2026-03-04T05:06:07.890Z'))).toBe(
      'DTSTART:20260304T050607\nRRULE:FREQ=HOURLY',
    );
    expect(rruleProblem('RRULE:FREQ=SOMETIMES')).toMatch(/FREQ/);
    expect(rruleProblem('RRULE:FREQ=DAILY;COLOUR=red')).toMatch(/unknown property/);
    expect(rruleProblem(`RRULE:FREQ=DAILY;${'BYHOUR=1;'.repeat(800)}`)).toMatch(/Max length is 6500/);
  });

  it('names every shape when none of the distinguishing keys is present', () => {
    expect(parseSchedule({ timezone: 'UTC' }, loc)).toEqual({
      issues: [
        expect.objectContaining({ loc: [...loc, 'IntervalSchedule', 'interval'], type: 'missing' }),
        expect.objectContaining({ loc: [...loc, 'CronSchedule', 'cron'], type: 'missing' }),
        expect.objectContaining({ loc: [...loc, 'RRuleSchedule', 'rrule'], type: 'missing' }),
      ],
    });
  });
});

describe('maxScheduledRunsIssue', () => {
  it('allows null and 1..cap, refuses the rest', () => {
    expect(maxScheduledRunsIssue(null, 50, ['x'])).toBeNull();
    expect(maxScheduledRunsIssue(50, 50, ['x'])).toBeNull();
    expect(maxScheduledRunsIssue(51, 50, ['x'])).toMatchObject({
      msg: 'Value error, `max_scheduled_runs` must be less than or equal to 50.',
    });
    expect(maxScheduledRunsIssue(0, 50, ['x'])).toMatchObject({ type: 'greater_than' });
    expect(maxScheduledRunsIssue(1.5, 50, ['x'])).toMatchObject({ type: 'int_from_float' });
    expect(maxScheduledRunsIssue('7', 50, ['x'])).toBeNull(); // pydantic's lax int
  });
});
