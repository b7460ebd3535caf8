import { isoDuration } from './settings-wire';

describe('isoDuration (a timedelta as pydantic writes it)', () => {
  it.each([
    [0, 'PT0S'],
    [20, 'PT20S'],
    [3600, 'PT1H'],
    [900, 'PT15M'],
    [7_776_000, 'P90D'],
    [93_784.5, 'P1DT2H3M4.5S'],
  ])('%d s → %s', (seconds, expected) => {
    expect(isoDuration(seconds)).toBe(expected);
  });
});
