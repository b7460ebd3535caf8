import { type ValueTransformer } from 'typeorm';

/**
 * Maps `interval` columns (total_run_time) to float seconds, the wire unit for durations. Reads the
 * text form PostgreSQL prints under the default IntervalStyle (`1 day 02:03:04.5`); writes
 * `<seconds> seconds`, which PostgreSQL parses exactly to the microsecond.
 */
export class IntervalSecondsTransformer implements ValueTransformer {
  to(value: number | null | undefined): string | null | undefined {
    if (value == null) return value;
    if (!Number.isFinite(value)) {
      throw new RangeError(`interval seconds must be finite, got ${value}`);
    }
    return `${value.toFixed(6)} seconds`;
  }

  from(value: string | null | undefined): number | null {
    if (value == null) return null;
    return parseIntervalSeconds(value);
  }
}

export const INTERVAL_SECONDS_TRANSFORMER = new IntervalSecondsTransformer();

const UNIT_SECONDS: Record<string, number> = {
  year: 365.25 * 86_400,
  mon: 30 * 86_400,
  day: 86_400,
};

export function parseIntervalSeconds(text: string): number {
  let rest = text.trim();
  let seconds = 0;
  const unitPattern = /^([+-]?\d+) (year|mon|day)s?\s*/;
  for (let m = unitPattern.exec(rest); m !== null; m = unitPattern.exec(rest)) {
    seconds += Number(m[1]) * UNIT_SECONDS[m[2]];
    rest = rest.slice(m[0].length);
  }
  if (rest !== '') {
    const t = /^([+-])?(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(rest);
    if (t === null) {
      throw new RangeError(`unsupported interval text: ${JSON.stringify(text)}`);
    }
    const magnitude = Number(t[2]) * 3600 + Number(t[3]) * 60 + Number(t[4]);
    seconds += t[1] === '-' ? -magnitude : magnitude;
  }
  // Interval text carries at most microseconds; drop float noise from the additions.
  return Math.round(seconds * 1_000_000) / 1_000_000;
}
