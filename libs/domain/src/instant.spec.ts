import { Instant } from './instant';

describe('Instant', () => {
  it('keeps microseconds through parse and format', () => {
    expect(Instant.parse('2025-01-02T03:04:05.123456Z').toISOString()).toBe('2025-01-02T03:04:05.123456Z');
    expect(Instant.parse('2025-01-02T03:04:05.000001+00:00').epochMicros % 1_000_000).toBe(1);
  });

  it.each([
    ['2025-01-02 03:04:15.500000+00:00', '2025-01-02T03:04:15.500000Z'], // Python str(datetime)
    ['2025-01-02T03:04:05', '2025-01-02T03:04:05.000000Z'], // naive means UTC
    ['2025-01-02T05:34:05.1+02:30', '2025-01-02T03:04:05.100000Z'],
    ['2025-01-01T19:04:05-0800', '2025-01-02T03:04:05.000000Z'],
    ['2025-01-02 03:04:05.123456+00', '2025-01-02T03:04:05.123456Z'], // PostgreSQL text output
    ['2025-01-02T03:04:05.123456789Z', '2025-01-02T03:04:05.123456Z'], // nanoseconds truncate
    ['2025-01-02', '2025-01-02T00:00:00.000000Z'],
  ])('parses %s', (input, expected) => {
    expect(Instant.parse(input).toISOString()).toBe(expected);
  });

  it.each(['', 'yesterday', '2025-13-01T00:00:00Z', '2025-02-30T00:00:00Z', '2025-01-02T03:04:05+25:00'])(
    'rejects %j',
    (input) => {
      expect(Instant.tryParse(input)).toBeNull();
      expect(() => Instant.parse(input)).toThrow(RangeError);
    },
  );

  it('does arithmetic at microsecond precision', () => {
    const t = Instant.parse('2025-01-02T03:04:05.999999Z');
    expect(t.plusMicros(1).toISOString()).toBe('2025-01-02T03:04:06.000000Z');
    expect(t.plusSeconds(1.5).secondsSince(t)).toBeCloseTo(1.5, 9);
    expect(t.isBefore(t.plusMicros(1))).toBe(true);
  });

  it('never steps backwards and has sub-millisecond resolution', () => {
    const seen = Array.from({ length: 2000 }, () => Instant.now().epochMicros);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]!);
    expect(Math.abs(Instant.now().epochMillis - Date.now())).toBeLessThan(5);
  });

  it('serialises to JSON as its ISO text', () => {
    expect(JSON.stringify({ at: Instant.fromEpochMicros(1) })).toBe('{"at":"1970-01-01T00:00:00.000001Z"}');
  });
});
