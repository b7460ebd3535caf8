/*
 * Occurrences of an interval schedule: `anchor + k × interval` for whole k (before or after the
 * anchor). An interval is split into whole days and the remaining seconds (as Prefect does): days are
 * added on the zone's calendar, so a daily schedule keeps its wall-clock hour across DST, while
 * sub-day intervals are exact elapsed time (an hourly schedule fires every real hour, so the repeated
 * hour appears twice when clocks go back).
 *
 * Upstream jumps from the anchor to the start by exact seconds before stepping by calendar days, so a
 * daily schedule anchored in winter fires an hour late in summer; here the jump is on the calendar
 * too, which keeps the documented promise ("a daily 9 am schedule continues to fire at 9 am").
 */
import { fromWallClock, toWallClock } from './wall-clock';

const DAY_MICROS = 86_400_000_000;

export interface IntervalSpec {
  readonly anchorMicros: number;
  readonly intervalSeconds: number;
  readonly zone: string;
}

/** Instants (epoch micros) at or after `startMicros`, in order, at most `n`, none after `endMicros`. */
export function intervalDates(
  spec: IntervalSpec,
  startMicros: number,
  n: number,
  endMicros: number | null,
  maxIterations = 1000,
): number[] {
  const intervalMicros = Math.round(spec.intervalSeconds * 1_000_000);
  const days = Math.floor(intervalMicros / DAY_MICROS);
  const restMicros = intervalMicros - days * DAY_MICROS;
  const anchorMs = Math.floor(spec.anchorMicros / 1000);
  const anchorSubMs = spec.anchorMicros - anchorMs * 1000;
  const anchorWall = toWallClock(spec.zone, anchorMs);
  const occurrence = (k: number): number => {
    if (days === 0) return spec.anchorMicros + k * intervalMicros;
    // The anchor's wall-clock reading moved by k × days on the calendar, then k × the rest exactly.
    const wall = anchorWall + k * days * 86_400_000;
    return fromWallClock(spec.zone, wall) * 1000 + anchorSubMs + k * restMicros;
  };
  let k = Math.floor((startMicros - spec.anchorMicros) / intervalMicros) - 1;
  while (occurrence(k) < startMicros) k += 1;
  // A calendar step across a DST change can land the previous occurrence at or after the start too.
  while (occurrence(k - 1) >= startMicros) k -= 1;
  const dates: number[] = [];
  let last = Number.NEGATIVE_INFINITY;
  for (let counter = 0; counter <= maxIterations && dates.length < n; counter++, k++) {
    const next = occurrence(k);
    if (endMicros !== null && next > endMicros) break;
    if (next > last) {
      dates.push(next);
      last = next;
    }
  }
  return dates;
}
