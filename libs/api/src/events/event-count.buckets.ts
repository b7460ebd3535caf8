import { Instant } from '@orrery/domain';

/** Upstream's `TimeUnit`. */
export type TimeUnit = 'week' | 'day' | 'hour' | 'minute' | 'second';
export const TIME_UNITS: readonly TimeUnit[] = ['week', 'day', 'hour', 'minute', 'second'];

const UNIT_SECONDS: Record<TimeUnit, number> = {
  week: 604_800,
  day: 86_400,
  hour: 3600,
  minute: 60,
  second: 1,
};

/** Time buckets are aligned to this Monday (upstream's PIVOT_DATETIME). */
export const PIVOT = Instant.parse('2024-04-01T00:00:00Z');
/** More buckets than this is refused with 422 (upstream's MAX_ALLOWED_BUCKETS). */
export const MAX_BUCKETS = 1000;

/** Prefect's `EventCount`. */
export interface EventCountResponse {
  readonly value: string;
  readonly label: string;
  readonly count: number;
  readonly start_time: string;
  readonly end_time: string;
}

export function bucketSeconds(unit: TimeUnit, interval: number): number {
  return UNIT_SECONDS[unit] * interval;
}

/** Why the parameters cannot be counted (answered 422 `{"detail": …}`), or null. */
export function bucketProblem(
  since: Instant,
  until: Instant,
  unit: TimeUnit,
  interval: number,
): string | null {
  if (interval < 0.01) return 'The minimum interval is 0.01';
  const buckets = Math.ceil((until.epochMicros - since.epochMicros) / (bucketSeconds(unit, interval) * 1e6));
  if (buckets > MAX_BUCKETS) {
    return (
      `The given interval would create ${buckets} buckets, which is too many. Please increase the interval ` +
      `or reduce the time range to produce ${MAX_BUCKETS} buckets or fewer.`
    );
  }
  return null;
}

/** Python's `datetime.isoformat()` of a UTC instant (upstream's labels): `…T00:00:00+00:00`, µs only when non-zero. */
function pythonIsoformat(instant: Instant): string {
  const iso = instant.toISOString(); // YYYY-MM-DDTHH:MM:SS.ffffffZ
  const [seconds, fraction] = iso.slice(0, -1).split('.');
  return `${seconds}${fraction !== undefined && /[1-9]/.test(fraction) ? `.${fraction}` : ''}+00:00`;
}

/** The end of the unit `now` is in (pendulum's `end_of`): weeks are pivot-aligned, Monday to Sunday. */
function endOfUnit(now: Instant, unit: TimeUnit): Instant {
  const size = UNIT_SECONDS[unit] * 1e6;
  const start = PIVOT.epochMicros + Math.floor((now.epochMicros - PIVOT.epochMicros) / size) * size;
  return Instant.fromEpochMicros(start + size - 1);
}

/**
 * Every bucket from the one holding `since` to the one holding `until` (or the end of the current
 * unit when `until` is in the future), with the counts found (others 0). `value` is the bucket's
 * position in the list and `label` its start, as upstream's `process_time_based_counts` returns them.
 */
export function fillTimeBuckets(
  since: Instant,
  until: Instant,
  unit: TimeUnit,
  interval: number,
  counts: readonly { bucket: number; count: number }[],
  now: Instant = Instant.now(),
): EventCountResponse[] {
  const delta = Math.round(bucketSeconds(unit, interval) * 1e6);
  const end = until.isAfter(now) ? endOfUnit(now, unit) : until;
  const first = Math.floor((since.epochMicros - PIVOT.epochMicros) / delta);
  const byBucket = new Map(counts.map((c) => [c.bucket, c.count] as const));
  const out: EventCountResponse[] = [];
  for (let i = first; PIVOT.epochMicros + delta * i < end.epochMicros && out.length <= MAX_BUCKETS; i++) {
    const start = Instant.fromEpochMicros(PIVOT.epochMicros + delta * i);
    out.push({
      value: String(out.length),
      label: pythonIsoformat(start),
      count: byBucket.get(i) ?? 0,
      start_time: start.toISOString(),
      end_time: Instant.fromEpochMicros(start.epochMicros + delta - 1).toISOString(),
    });
  }
  return out;
}
