/*
 * Wall-clock time in an IANA zone, from the runtime's tz database (Intl). A wall-clock reading is
 * carried as "UTC milliseconds of the same fields" (`Date.UTC(y, m, d, h, mi, s)`), so calendar
 * arithmetic on it is plain UTC arithmetic.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

function isUtc(zone: string): boolean {
  return zone === 'UTC' || zone === 'Etc/UTC' || zone === 'GMT' || zone === 'Etc/GMT' || zone === 'Z';
}

/** The zone's UTC offset in milliseconds at the instant `epochMs` (whole minutes are assumed). */
export function zoneOffsetMs(zone: string, epochMs: number): number {
  if (isUtc(zone)) return 0;
  // Offsets are whole minutes (or seconds for LMT); formatting the minute's start keeps it exact.
  const at = Math.floor(epochMs / 1000) * 1000;
  const parts = formatter(zone).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - at;
}

/** The wall-clock reading (as UTC-fields milliseconds) of the instant `epochMs` in `zone`. */
export function toWallClock(zone: string, epochMs: number): number {
  return epochMs + zoneOffsetMs(zone, epochMs);
}

/**
 * The instant of a wall-clock reading in `zone`, disambiguated as Python's `fold=0` (and
 * `whenever`'s "compatible"): a time repeated when clocks go back is its first occurrence; a time
 * skipped when clocks go forward is read with the offset before the jump, i.e. moved forward by the gap.
 */
export function fromWallClock(zone: string, wallMs: number): number {
  if (isUtc(zone)) return wallMs;
  const before = zoneOffsetMs(zone, wallMs - DAY_MS);
  const after = zoneOffsetMs(zone, wallMs + DAY_MS);
  const candidates = [...new Set([before, after])]
    .map((offset) => wallMs - offset)
    .filter((instant) => toWallClock(zone, instant) === wallMs)
    .sort((a, b) => a - b);
  if (candidates.length > 0) return candidates[0]!;
  // In a gap: the reading does not exist; the offset in force before the transition applies.
  return wallMs - before;
}

export const WALL = { MINUTE_MS, DAY_MS, HOUR_MS: 3_600_000, SECOND_MS: 1000 } as const;
