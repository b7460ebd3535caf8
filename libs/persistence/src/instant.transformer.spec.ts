import { Instant } from '@orrery/domain';
import { INSTANT_TRANSFORMER } from './instant.transformer';

describe('InstantTransformer', () => {
  it('reads PostgreSQL timestamptz text with microseconds', () => {
    expect(INSTANT_TRANSFORMER.from('2025-01-02 03:04:05.123456+00')?.toISOString()).toBe(
      '2025-01-02T03:04:05.123456Z',
    );
  });

  it('writes ISO-8601 with six fractional digits', () => {
    expect(INSTANT_TRANSFORMER.to(Instant.parse('2025-01-02T03:04:05.000001Z'))).toBe(
      '2025-01-02T03:04:05.000001Z',
    );
  });

  it('passes null through and refuses a Date', () => {
    expect(INSTANT_TRANSFORMER.from(null)).toBeNull();
    expect(INSTANT_TRANSFORMER.to(null)).toBeNull();
    expect(() => INSTANT_TRANSFORMER.to(new Date() as unknown as Instant)).toThrow(TypeError);
  });
});
