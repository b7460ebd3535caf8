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

  /**
   * Only the hot paths' form (see parseCanonicalUtc): the Instant, null for an invalid date in that
   * form, undefined for any other text — for parsers that judge the other forms themselves.
   */
  static tryParseCanonical(text: string): Instant | null | undefined {
    const micros = parseCanonicalUtc(text);
    return micros === undefined || micros === null ? micros : new Instant(micros);
  }

  static tryParse(text: string): Instant | null {
    const fast = parseCanonicalUtc(text);
    if (fast !== undefined) return fast === null ? null : new Instant(fast);
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
    const micros = this.epochMicros;
    const days = Math.floor(micros / MICROS_PER_DAY);
    const [year, month, day] = civilFromDays(days);
    if (year >= 0 && year <= 9999) {
      let rest = micros - days * MICROS_PER_DAY;
      const hour = Math.floor(rest / 3_600_000_000);
      rest -= hour * 3_600_000_000;
      const minute = Math.floor(rest / 60_000_000);
      rest -= minute * 60_000_000;
      const second = Math.floor(rest / 1_000_000);
      const fraction = rest - second * 1_000_000;
      return (
        `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:` +
        `${pad2(second)}.${String(fraction).padStart(6, '0')}Z`
      );
    }
    // Years Date prints with six digits and a sign.
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

const MICROS_PER_DAY = 86_400_000_000;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** [year, month, day] of a day count since 1970-01-01 (civil_from_days). */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}

/**
 * The forms every hot path carries, without a regular expression or a Date: `YYYY-MM-DD` then `T`
 * or a space, `HH:MM:SS`, 0 to 9 fractional digits, then `Z`, `+00`, `+00:00` or nothing (UTC) —
 * what PostgreSQL prints in a UTC session and what Prefect clients send. Returns epoch microseconds,
 * null for an invalid date in that form, undefined for any other form (the general parser decides).
 */
function parseCanonicalUtc(text: string): number | null | undefined {
  const n = text.length;
  if (n < 19 || text[4] !== '-' || text[7] !== '-' || text[13] !== ':' || text[16] !== ':') return undefined;
  if (text[10] !== 'T' && text[10] !== ' ') return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 100 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  if (hour > 23 || second > 59) return undefined; // 24:00 and leap seconds: the general parser
  let i = 19;
  let fraction = 0;
  if (i < n && (text[i] === '.' || text[i] === ',')) {
    i += 1;
    const start = i;
    while (i < n && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i += 1;
    const count = i - start;
    if (count === 0 || count > 9) return undefined;
    fraction = digits(text, start, Math.min(count, 6)) * 10 ** (6 - Math.min(count, 6));
  }
  const zone = text.slice(i);
  if (zone !== '' && zone !== 'Z' && zone !== 'z' && zone !== '+00' && zone !== '+00:00') return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || minute > 59) return null;
  return (
    daysFromCivil(year, month, day) * MICROS_PER_DAY +
    hour * 3_600_000_000 +
    minute * 60_000_000 +
    second * 1_000_000 +
    fraction
  );
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return leap ? 29 : 28;
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
