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

describe('Instant fast paths (canonical UTC text, arithmetic formatting)', () => {
  /** What Date says, with the microseconds appended: the reference the arithmetic must match. */
  const viaDate = (micros: number): string => {
    const millis = Math.floor(micros / 1000);
    return `${new Date(millis).toISOString().slice(0, 23)}${String(micros - millis * 1000).padStart(3, '0')}Z`;
  };

  it('formats exactly as Date does, at the microsecond, across eras, leap days and year ends', () => {
    const samples = [
      0, -1, 1, 951_782_400_000_000 /* 2000-02-29 */, -7_258_118_400_000_000 /* 1740-01-01 */,
      8_835_206_399_999_999 /* 2249-12-31T23:59:59.999999 */, 4_107_542_399_999_999, 1_709_164_800_000_000,
    ];
    let seed = 7;
    for (let i = 0; i < 5000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      samples.push(Math.floor((seed / 2_147_483_648) * 16e15) - 8e15 + (i % 1000));
    }
    for (const micros of samples) {
      const instant = Instant.fromEpochMicros(micros);
      expect(instant.toISOString()).toBe(viaDate(micros));
      // Parsing what we print gives the same instant back (the fast path) …
      expect(Instant.parse(instant.toISOString()).epochMicros).toBe(micros);
      // … and so does PostgreSQL's UTC text form.
      const pg = `${instant.toISOString().slice(0, 10)} ${instant.toISOString().slice(11, 26)}+00`;
      expect(Instant.parse(pg).epochMicros).toBe(micros);
    }
  });

  it('reads the forms clients send the same way on both paths', () => {
    const cases: [string, string][] = [
      ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000000Z'],
      ['2024-02-29 12:00:00.5', '2024-02-29T12:00:00.500000Z'],
      ['2024-02-29T12:00:00.123456789+00:00', '2024-02-29T12:00:00.123456Z'],
      ['2024-03-01T00:00:00,25z', '2024-03-01T00:00:00.250000Z'],
      ['2024-03-01T01:00:00+01:00', '2024-03-01T00:00:00.000000Z'],
      [' 2024-03-01T00:00:00Z ', '2024-03-01T00:00:00.000000Z'],
      ['2024-03-01T24:00:00Z', '2024-03-02T00:00:00.000000Z'],
    ];
    for (const [text, iso] of cases) expect(Instant.parse(text).toISOString()).toBe(iso);
    for (const bad of [
      '2023-02-29T00:00:00Z',
      '2024-13-01T00:00:00Z',
      '2024-04-31 00:00:00+00',
      '2024-01-01T00:60:00Z',
    ])
      expect(Instant.tryParse(bad)).toBeNull();
  });
});
