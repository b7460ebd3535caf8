import { Instant } from '@orrery/domain';
import { bucketProblem, fillTimeBuckets } from './event-count.buckets';

const at = (s: string): Instant => Instant.parse(s);

describe('event count time buckets', () => {
  it('fills every pivot-aligned bucket of the window, counts where found', () => {
    const buckets = fillTimeBuckets(
      at('2026-11-20T10:00:00Z'),
      at('2026-11-22T10:00:00Z'),
      'day',
      1,
      // 2026-11-21 is day 964 after 2024-04-01.
      [{ bucket: 964, count: 7 }],
      at('2026-11-23T00:00:00Z'),
    );
    expect(buckets).toEqual([
      {
        value: '0',
        label: '2026-11-20T00:00:00+00:00',
        count: 0,
        start_time: '2026-11-20T00:00:00.000000Z',
        end_time: '2026-11-20T23:59:59.999999Z',
      },
      {
        value: '1',
        label: '2026-11-21T00:00:00+00:00',
        count: 7,
        start_time: '2026-11-21T00:00:00.000000Z',
        end_time: '2026-11-21T23:59:59.999999Z',
      },
      {
        value: '2',
        label: '2026-11-22T00:00:00+00:00',
        count: 0,
        start_time: '2026-11-22T00:00:00.000000Z',
        end_time: '2026-11-22T23:59:59.999999Z',
      },
    ]);
  });

  it('runs to the end of the current unit when until is in the future; weeks start on Mondays', () => {
    const now = at('2026-11-22T10:30:00Z'); // a Sunday
    const hours = fillTimeBuckets(at('2026-11-22T08:15:00Z'), at('2026-11-23T00:00:00Z'), 'hour', 1, [], now);
    expect(hours.map((b) => b.label)).toEqual([
      '2026-11-22T08:00:00+00:00',
      '2026-11-22T09:00:00+00:00',
      '2026-11-22T10:00:00+00:00',
    ]);
    const weeks = fillTimeBuckets(at('2026-11-10T00:00:00Z'), at('2026-12-01T00:00:00Z'), 'week', 1, [], now);
    expect(weeks.map((b) => b.start_time)).toEqual([
      '2026-11-09T00:00:00.000000Z',
      '2026-11-16T00:00:00.000000Z',
    ]);
    const halves = fillTimeBuckets(
      at('2026-11-22T00:00:00Z'),
      at('2026-11-22T00:00:02Z'),
      'second',
      0.5,
      [],
      now,
    );
    expect(halves.map((b) => b.label)).toEqual([
      '2026-11-22T00:00:00+00:00',
      '2026-11-22T00:00:00.500000+00:00',
      '2026-11-22T00:00:01+00:00',
      '2026-11-22T00:00:01.500000+00:00',
    ]);
  });

  it('refuses more than 1000 buckets and intervals under 0.01', () => {
    expect(bucketProblem(at('2026-01-01T00:00:00Z'), at('2026-01-01T00:16:40Z'), 'second', 1)).toBeNull();
    expect(bucketProblem(at('2026-01-01T00:00:00Z'), at('2026-01-01T00:16:41Z'), 'second', 1)).toMatch(
      /would create 1001 buckets/,
    );
    expect(bucketProblem(at('2026-01-01T00:00:00Z'), at('2026-01-02T00:00:00Z'), 'day', 0.001)).toBe(
      'The minimum interval is 0.01',
    );
  });
});
