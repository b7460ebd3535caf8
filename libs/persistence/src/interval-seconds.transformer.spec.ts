import { INTERVAL_SECONDS_TRANSFORMER, parseIntervalSeconds } from './interval-seconds.transformer';

describe('interval text ↔ seconds', () => {
  it.each([
    ['00:00:00', 0],
    ['00:00:01.500001', 1.500001],
    ['-00:00:02.25', -2.25],
    ['1 day 02:03:04.5', 93_784.5],
    ['3 days', 259_200],
    ['100:00:00', 360_000],
  ])('parses %s', (text, seconds) => {
    expect(parseIntervalSeconds(text)).toBe(seconds);
  });

  it('rejects text it does not understand', () => {
    expect(() => parseIntervalSeconds('P1D')).toThrow(RangeError);
  });

  it('writes microsecond-exact seconds and passes null through', () => {
    expect(INTERVAL_SECONDS_TRANSFORMER.to(1.500001)).toBe('1.500001 seconds');
    expect(INTERVAL_SECONDS_TRANSFORMER.to(null)).toBeNull();
    expect(INTERVAL_SECONDS_TRANSFORMER.from(null)).toBeNull();
  });
});
