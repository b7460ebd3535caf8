/**
 * A point in time with microsecond precision (architecture decision 5).
 *
 * JavaScript's Date only keeps milliseconds, but Prefect clients send, store and compare state
 * timestamps at the microsecond, and state timestamps must be unique per run at that precision.
 * Every timestamp on the orchestration path is an Instant; it crosses the wire and the database as
 * ISO-8601 text and never goes through a bare Date.
 *
 * Internally an Instant is an integer count of microseconds since the Unix epoch, kept in a double:
 * exact for every instant between the years 1685 and 2255.
 */
export class Instant {
  private constructor(readonly epochMicros: number) {}

  static readonly EPOCH = new Instant(0);

  static fromEpochMicros(micros: number): Instant {
    if (!Number.isSafeInteger(micros)) {
      throw new RangeError(`Instant out of range: ${micros} µs`);
    }
    return new Instant(micros);
  }

  static fromEpochMillis(millis: number): Instant {
    return Instant.fromEpochMicros(Math.round(millis * 1000));
  }

  static fromEpochSeconds(seconds: number): Instant {
    return Instant.fromEpochMicros(Math.round(seconds * 1_000_000));
  }

  static fromDate(date: Date): Instant {
    return Instant.fromEpochMillis(date.getTime());
  }

  /** The current time, with microsecond resolution. */
  static now(): Instant {
    return Instant.fromEpochMicros(microClock());
  }

  /**
   * Parses any ISO-8601 date-time: `T` or a space between date and time, an offset (`Z`, `+00`,
   * `+05:30`, `-0800`) or none (naive values are UTC), and 0 to 9 fractional digits (truncated to
   * microseconds). A date alone means midnight UTC. Throws RangeError on anything else.
   */
  static parse(text: string): Instant {
    const parsed = Instant.tryParse(text);
    if (parsed === null) {
      throw new RangeError(`Invalid datetime: ${JSON.stringify(text)}`);
    }
    return parsed;
  }

  static tryParse(text: string): Instant | null {
    const m = ISO_PATTERN.exec(text.trim());
    if (m === null) {
      return null;
    }
    const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
    const year = Number(y);
    const month = Number(mo);
    const day = Number(d);
    const hour = Number(h);
    const minute = Number(mi);
    const second = Number(s);
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
    if (hour > 24 || minute > 59 || second > 60) return null;
    if (hour === 24 && (minute !== 0 || second !== 0 || /[1-9]/.test(frac))) return null;
    const micros = Number((frac + '000000').slice(0, 6));
    let offsetMinutes = 0;
    if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
      const zm = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
      if (zm === null) return null;
      const [, sign, zh, zmin = '0'] = zm;
      if (Number(zh) > 23 || Number(zmin) > 59) return null;
      offsetMinutes = (sign === '-' ? -1 : 1) * (Number(zh) * 60 + Number(zmin));
    }
    const millis = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59));
    if (Number.isNaN(millis)) return null;
    // Date.UTC maps years 0..99 to 1900..1999; put them back.
    const fixed = year < 100 ? new Date(millis).setUTCFullYear(year) : millis;
    return Instant.fromEpochMicros((fixed - offsetMinutes * 60_000) * 1000 + micros);
  }

  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ`: always six fractional digits, always UTC. */
  toISOString(): string {
    const millis = Math.floor(this.epochMicros / 1000);
    const subMillis = this.epochMicros - millis * 1000;
    const iso = new Date(millis).toISOString(); // 2025-01-02T03:04:05.123Z
    return `${iso.slice(0, 23)}${String(subMillis).padStart(3, '0')}Z`;
  }

  toJSON(): string {
    return this.toISOString();
  }

  toString(): string {
    return this.toISOString();
  }

  /** Loses the microseconds: only for APIs that insist on a Date (never for stored state times). */
  toDate(): Date {
    return new Date(Math.floor(this.epochMicros / 1000));
  }

  get epochMillis(): number {
    return Math.floor(this.epochMicros / 1000);
  }

  get epochSeconds(): number {
    return this.epochMicros / 1_000_000;
  }

  plusMicros(micros: number): Instant {
    return Instant.fromEpochMicros(this.epochMicros + Math.round(micros));
  }

  plusSeconds(seconds: number): Instant {
    return this.plusMicros(seconds * 1_000_000);
  }

  minusSeconds(seconds: number): Instant {
    return this.plusMicros(-seconds * 1_000_000);
  }

  /** this − other, in (fractional) seconds. */
  secondsSince(other: Instant): number {
    return (this.epochMicros - other.epochMicros) / 1_000_000;
  }

  compare(other: Instant): number {
    return this.epochMicros - other.epochMicros;
  }

  isBefore(other: Instant): boolean {
    return this.epochMicros < other.epochMicros;
  }

  isAfter(other: Instant): boolean {
    return this.epochMicros > other.epochMicros;
  }

  equals(other: Instant | null | undefined): boolean {
    return other != null && this.epochMicros === other.epochMicros;
  }

  static max(a: Instant, b: Instant): Instant {
    return a.epochMicros >= b.epochMicros ? a : b;
  }

  static min(a: Instant, b: Instant): Instant {
    return a.epochMicros <= b.epochMicros ? a : b;
  }
}

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Wall-clock microseconds. performance.now() has sub-millisecond resolution but is anchored at
 * process start; re-anchor whenever it drifts from Date.now() by a millisecond or more (NTP steps,
 * suspended VMs) and never step backwards within the process.
 */
let anchorMicros = Date.now() * 1000 - Math.round(performance.now() * 1000);
let lastMicros = 0;
function microClock(): number {
  let micros = anchorMicros + Math.round(performance.now() * 1000);
  const wall = Date.now() * 1000;
  if (Math.abs(micros - wall) >= 1000) {
    anchorMicros = wall - Math.round(performance.now() * 1000);
    micros = anchorMicros + Math.round(performance.now() * 1000);
  }
  if (micros <= lastMicros) {
    micros = lastMicros + 1;
  }
  lastMicros = micros;
  return micros;
}
