import { Instant } from './instant';

/**
 * pydantic 2's lax mode for the scalar types of Prefect's schemas, as FastAPI applies it to a
 * parsed JSON body (`validate_python`): the forms the real SDK sends besides the one the OpenAPI
 * file shows. One place for every body, query and filter field (the class-validator decorators in
 * `@orrery/api`'s `common/lax-scalars.ts`, the state-details and schedule parsers here).
 *
 * Each parser answers the canonical value or pydantic's error `type` and `msg`. The accepted and
 * rejected inputs are pinned by `lax-scalars.table.json`, written by running pydantic itself
 * (`tools/pydantic-lax/table.py`); `lax-scalars.spec.ts` checks every row.
 */
export type LaxResult<T> = { ok: true; value: T } | { ok: false; type: string; msg: string };

const ok = <T>(value: T): LaxResult<T> => ({ ok: true, value });
const fail = <T>(type: string, msg: string): LaxResult<T> => ({ ok: false, type, msg });

/** pydantic reads a number as Unix seconds, or milliseconds when its magnitude exceeds 2·10¹⁰. */
const MS_THRESHOLD = 2e10;
/** 9999-12-31T23:59:59Z and 0001-01-01T00:00:00Z in epoch seconds. */
const MAX_SECONDS = 253_402_300_799;
const MIN_SECONDS = -62_135_596_800;

/** speedate's date-time forms: `T`, `t` or a space; seconds optional; `,` or `.` fraction; `Z` or ±HH[:]MM. */
const DATETIME_TEXT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|z|[+-]\d{2}:?\d{2})?)?$/;
const NUMERIC_TEXT = /^-?\d+(?:\.\d+)?$/;

function fromEpochNumber(n: number): LaxResult<Instant> {
  if (!Number.isFinite(n)) return fail('datetime_parsing', 'Input should be a valid datetime');
  const seconds = Math.abs(n) > MS_THRESHOLD ? n / 1000 : n;
  const micros = Math.round(Math.abs(n) > MS_THRESHOLD ? n * 1000 : n * 1_000_000);
  if (seconds > MAX_SECONDS || seconds < MIN_SECONDS) {
    return fail(
      'datetime_parsing',
      'Input should be a valid datetime, dates after 9999 are not supported as unix timestamps',
    );
  }
  // Instant is exact between the years 1685 and 2255; pydantic would take later years.
  if (!Number.isSafeInteger(micros)) {
    return fail('datetime_parsing', 'Input should be a valid datetime, outside the range this server stores');
  }
  return ok(Instant.fromEpochMicros(micros));
}

/**
 * A datetime: ISO 8601 text (see DATETIME_TEXT; a date alone is midnight; naive values are UTC, as
 * Prefect's DateTime type makes them), or Unix time as an int, float or numeric string.
 */
export function laxDateTime(value: unknown): LaxResult<Instant> {
  if (value instanceof Instant) return ok(value);
  if (typeof value === 'number') return fromEpochNumber(value);
  if (typeof value !== 'string') return fail('datetime_type', 'Input should be a valid datetime');
  const invalid = fail<Instant>('datetime_from_date_parsing', 'Input should be a valid datetime or date');
  if (value.endsWith('Z')) {
    // `YYYY-MM-DDTHH:MM:SS[.f]Z`, the form SDKs send (events are high volume), skips the regex.
    const fast = Instant.tryParseCanonical(value);
    if (fast === null) return invalid;
    if (fast !== undefined && Number.isSafeInteger(fast.epochMicros)) return ok(fast);
  }
  if (NUMERIC_TEXT.test(value)) return fromEpochNumber(Number(value));
  const m = DATETIME_TEXT.exec(value);
  if (m === null) return invalid;
  const [, , , , hour, minute, second, , zone] = m;
  if (hour !== undefined && (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59)) {
    return invalid;
  }
  if (zone !== undefined && zone.length > 1) {
    const digits = zone.replace(':', '');
    if (Number(digits.slice(1, 3)) > 23 || Number(digits.slice(3, 5)) > 59) return invalid;
  }
  let instant: Instant | null;
  try {
    instant = Instant.tryParse(value);
  } catch {
    // A valid date beyond the years an Instant holds (1685–2255), e.g. 9999-12-31.
    return fail('datetime_parsing', 'Input should be a valid datetime, outside the range this server stores');
  }
  if (instant !== null && !Number.isSafeInteger(instant.epochMicros)) {
    return fail('datetime_parsing', 'Input should be a valid datetime, outside the range this server stores');
  }
  return instant === null ? invalid : ok(instant);
}

const MAX_DURATION_MICROS = 999_999_999 * 86_400_000_000;
const ISO_DURATION =
  /^([+-])?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const CLOCK_DURATION = /^([+-])?(?:(\d+) ?d(?:ays?)?,? ?)?(?:(\d+):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?$/;

/**
 * A timedelta, in microseconds: a number of seconds, an ISO 8601 duration (`PT1H`, `P1DT2H`; a
 * year is 365 days and a month 30, as speedate counts), `[-][D day[s], ]HH:MM[:SS[.ffffff]]`, or
 * `Nd`. A bare numeric string is not one (pydantic refuses `"3600"`).
 */
export function laxDuration(value: unknown): LaxResult<number> {
  const invalid = fail<number>('time_delta_parsing', 'Input should be a valid timedelta');
  let micros: number;
  if (typeof value === 'boolean') micros = value ? 1_000_000 : 0;
  else if (typeof value === 'number') {
    if (!Number.isFinite(value)) return invalid;
    micros = Math.round(value * 1_000_000);
  } else if (typeof value === 'string') {
    const iso = ISO_DURATION.exec(value);
    const clock = iso === null ? CLOCK_DURATION.exec(value) : null;
    if (iso !== null && value.replace(/^[+-]/, '') !== 'P' && !value.endsWith('T')) {
      const [y, mo, w, d, h, mi, s] = iso.slice(2).map((x) => Number(x ?? 0)) as number[];
      const seconds = (y! * 365 + mo! * 30 + w! * 7 + d!) * 86_400 + h! * 3600 + mi! * 60 + s!;
      micros = Math.round(seconds * 1_000_000) * (iso[1] === '-' ? -1 : 1);
    } else if (clock !== null && (clock[2] !== undefined || clock[3] !== undefined) && value !== '') {
      const [, sign, days, hours, minutes, secs, frac] = clock;
      if (Number(minutes ?? 0) > 59 || Number(secs ?? 0) > 59) return invalid;
      const seconds =
        Number(days ?? 0) * 86_400 +
        Number(hours ?? 0) * 3600 +
        Number(minutes ?? 0) * 60 +
        Number(secs ?? 0);
      micros = (seconds * 1_000_000 + Number((frac ?? '').padEnd(6, '0'))) * (sign === '-' ? -1 : 1);
    } else return invalid;
  } else return fail('time_delta_type', 'Input should be a valid timedelta');
  if (Math.abs(micros) > MAX_DURATION_MICROS) {
    return fail(
      'time_delta_parsing',
      'Input should be a valid timedelta, durations may not exceed 999,999,999 days',
    );
  }
  return ok(micros);
}

const UUID_TEXT =
  /^(?:urn:uuid:)?(\{)?([0-9a-fA-F]{8})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{12})(\})?$/;

/**
 * A UUID, canonical (lowercase, hyphenated): any case, hyphens or none (all or nothing), braces
 * around the hyphenated form, a lowercase `urn:uuid:` prefix — the forms Python's uuid.UUID reads.
 */
export function laxUuid(value: unknown): LaxResult<string> {
  if (typeof value !== 'string')
    return fail('uuid_type', 'UUID input should be a string, bytes or UUID object');
  const m = UUID_TEXT.exec(value);
  const invalid = fail<string>('uuid_parsing', 'Input should be a valid UUID');
  if (m === null) return invalid;
  const [, open, a, b, c, d, e, close] = m;
  const hyphens = (value.match(/-/g) ?? []).length;
  if (hyphens !== 0 && hyphens !== 4) return invalid;
  if ((open === undefined) !== (close === undefined)) return invalid;
  if (open !== undefined && (hyphens !== 4 || value.startsWith('urn:'))) return invalid;
  return ok(`${a}-${b}-${c}-${d}-${e}`.toLowerCase());
}

const TRUE_TEXT = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const FALSE_TEXT = new Set(['0', 'off', 'f', 'false', 'n', 'no']);

/** A boolean: true/false, 0/1 (also 0.0/1.0), and the strings pydantic knows in any case. */
export function laxBool(value: unknown): LaxResult<boolean> {
  if (typeof value === 'boolean') return ok(value);
  const invalid = fail<boolean>('bool_parsing', 'Input should be a valid boolean, unable to interpret input');
  if (typeof value === 'number') {
    if (value === 1) return ok(true);
    if (value === 0) return ok(false);
    return Number.isInteger(value) ? invalid : fail('bool_type', 'Input should be a valid boolean');
  }
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (TRUE_TEXT.has(lower)) return ok(true);
    if (FALSE_TEXT.has(lower)) return ok(false);
    return invalid;
  }
  return fail('bool_type', 'Input should be a valid boolean');
}

const INT_TEXT = /^[+-]?\d+(?:_\d+)*(?:\.0+)?$/;

/** An integer: an integral float, a numeric string (whitespace, `+`, `_` separators, `.0`), a boolean. */
export function laxInt(value: unknown): LaxResult<number> {
  const parsing = fail<number>(
    'int_parsing',
    'Input should be a valid integer, unable to parse string as an integer',
  );
  let n: number;
  if (typeof value === 'boolean') return ok(value ? 1 : 0);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return fail('finite_number', 'Input should be a finite number');
    if (!Number.isInteger(value)) {
      return fail('int_from_float', 'Input should be a valid integer, got a number with a fractional part');
    }
    n = value;
  } else if (typeof value === 'string') {
    const text = value.trim();
    if (!INT_TEXT.test(text)) return parsing;
    n = Number(text.replace(/_/g, '').replace(/\.0+$/, ''));
  } else return fail('int_type', 'Input should be a valid integer');
  if (!Number.isSafeInteger(n)) {
    return fail('int_parsing_size', 'Unable to parse input string as an integer, exceeded maximum size');
  }
  return ok(n === 0 ? 0 : n);
}

const FLOAT_TEXT = /^[+-]?(?:\d+(?:_\d+)*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A float: a number, a numeric string (whitespace, exponent, `_` separators) or a boolean. */
export function laxFloat(value: unknown): LaxResult<number> {
  if (typeof value === 'number') return ok(value);
  if (typeof value === 'boolean') return ok(value ? 1 : 0);
  if (typeof value === 'string') {
    const text = value.trim();
    return FLOAT_TEXT.test(text)
      ? ok(Number(text.replace(/_/g, '')))
      : fail('float_parsing', 'Input should be a valid number, unable to parse string as a number');
  }
  return fail('float_type', 'Input should be a valid number');
}

/** laxDateTime's Instant, or null for anything pydantic would refuse (for hand-written parsers). */
export function laxInstantOrNull(value: unknown): Instant | null {
  const parsed = laxDateTime(value);
  return parsed.ok ? parsed.value : null;
}

/** An enum member by value, exactly (pydantic does not fold case). */
export function laxEnum<T extends string>(value: unknown, values: readonly T[]): LaxResult<T> {
  if (typeof value === 'string' && (values as readonly string[]).includes(value)) return ok(value as T);
  const list = values.map((v) => `'${v}'`);
  const tail = list.length > 1 ? `${list.slice(0, -1).join(', ')} or ${list.at(-1)}` : (list[0] ?? '');
  return fail('enum', `Input should be ${tail}`);
}
