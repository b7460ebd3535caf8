import { Instant } from '@orrery/domain';
import { type ValueTransformer } from 'typeorm';

/**
 * Maps timestamptz columns to Instant and back without ever going through a JS Date (decision 5).
 * The database hands us text such as `2025-01-02 03:04:05.123456+00` (see createDataSource's type
 * parsers) and receives ISO-8601 text with six fractional digits.
 */
export class InstantTransformer implements ValueTransformer {
  to(value: Instant | null | undefined): string | null | undefined {
    if (value == null) return value;
    if (!(value instanceof Instant)) {
      throw new TypeError(`expected an Instant for a timestamptz column, got ${typeof value}`);
    }
    return value.toISOString();
  }

  from(value: string | null | undefined): Instant | null {
    if (value == null) return null;
    return Instant.parse(value);
  }
}

export const INSTANT_TRANSFORMER = new InstantTransformer();
