/**
 * The accepted forms of a raw setting string. A form turns the string into a typed value or says,
 * in words that complete "expected …", what it would have accepted. Forms know nothing about
 * variable names; the reader adds those.
 */

export type ParseResult<T> = { ok: true; value: T } | { ok: false; expected: string };

export interface SettingForm<T> {
  /** Short type label for docs/settings.md, e.g. `integer 1–65535`. */
  readonly label: string;
  parse(raw: string): ParseResult<T>;
}

const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
const bad = <T>(expected: string): ParseResult<T> => ({ ok: false, expected });

// pydantic's lax boolean vocabulary, which is what Prefect users already write in their env files.
const TRUE_WORDS = new Set(['1', 'true', 't', 'yes', 'y', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'f', 'no', 'n', 'off']);

/** A 32-byte key written in base64 (e.g. `openssl rand -base64 32`). */
export function base64KeyForm(bytes: number): SettingForm<string> {
  return {
    label: `base64, ${bytes} bytes`,
    parse(raw) {
      const text = raw.trim();
      const valid = /^[A-Za-z0-9+/]+={0,2}$/.test(text) && Buffer.from(text, 'base64').length === bytes;
      return valid ? ok(text) : bad(`${bytes} random bytes in base64 (openssl rand -base64 ${bytes})`);
    },
  };
}

export function booleanForm(): SettingForm<boolean> {
  return {
    label: 'boolean',
    parse(raw) {
      const word = raw.trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return ok(true);
      if (FALSE_WORDS.has(word)) return ok(false);
      return bad('true or false (also 1/0, yes/no, on/off)');
    },
  };
}

export interface NumberBounds {
  /** Inclusive lower bound. */
  min?: number;
  /** Exclusive lower bound (Prefect's `gt=`). */
  above?: number;
  /** Inclusive upper bound. */
  max?: number;
}

function boundsText(bounds: NumberBounds): string {
  if (bounds.min !== undefined && bounds.max !== undefined) return ` between ${bounds.min} and ${bounds.max}`;
  if (bounds.above !== undefined && bounds.max !== undefined)
    return ` greater than ${bounds.above} and at most ${bounds.max}`;
  if (bounds.min !== undefined) return ` of at least ${bounds.min}`;
  if (bounds.above !== undefined) return ` greater than ${bounds.above}`;
  if (bounds.max !== undefined) return ` of at most ${bounds.max}`;
  return '';
}

function boundsLabel(bounds: NumberBounds): string {
  if (bounds.min !== undefined && bounds.max !== undefined) return ` ${bounds.min}–${bounds.max}`;
  if (bounds.above !== undefined && bounds.max !== undefined) return ` >${bounds.above}, ≤${bounds.max}`;
  if (bounds.min !== undefined) return ` ≥${bounds.min}`;
  if (bounds.above !== undefined) return ` >${bounds.above}`;
  if (bounds.max !== undefined) return ` ≤${bounds.max}`;
  return '';
}

function withinBounds(value: number, bounds: NumberBounds): boolean {
  if (bounds.min !== undefined && value < bounds.min) return false;
  if (bounds.above !== undefined && value <= bounds.above) return false;
  if (bounds.max !== undefined && value > bounds.max) return false;
  return true;
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function integerForm(bounds: NumberBounds = {}): SettingForm<number> {
  const expected = `an integer${boundsText(bounds)}`;
  return {
    label: `integer${boundsLabel(bounds)}`,
    parse(raw) {
      const text = raw.trim();
      if (!INTEGER.test(text)) return bad(expected);
      const value = Number(text);
      if (!Number.isSafeInteger(value) || !withinBounds(value, bounds)) return bad(expected);
      return ok(value);
    },
  };
}

export function numberForm(bounds: NumberBounds = {}): SettingForm<number> {
  const expected = `a number${boundsText(bounds)}`;
  return {
    label: `number${boundsLabel(bounds)}`,
    parse(raw) {
      const text = raw.trim();
      if (!DECIMAL.test(text)) return bad(expected);
      const value = Number(text);
      if (!Number.isFinite(value) || !withinBounds(value, bounds)) return bad(expected);
      return ok(value);
    },
  };
}

const ISO_DURATION =
  /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;
const CLOCK_DURATION = /^(?:(\d+)\s+days?,\s*)?(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)$/i;

/**
 * Parses a duration to seconds: a plain number of seconds, ISO-8601 (`PT1H`, `P7D`, `P1DT30M`) or
 * pydantic's clock form (`01:00:00`, `1 day, 00:00:00`). Years and months are refused because their
 * length in seconds is ambiguous.
 */
export function parseDurationSeconds(raw: string): number | undefined {
  const text = raw.trim();
  if (DECIMAL.test(text)) {
    const value = Number(text);
    return Number.isFinite(value) ? value : undefined;
  }
  const iso = ISO_DURATION.exec(text);
  if (iso && text.toUpperCase() !== 'P' && !/T$/i.test(text)) {
    const [, weeks, days, hours, minutes, seconds] = iso.map((part) =>
      part === undefined ? 0 : Number(part),
    );
    return weeks * 604800 + days * 86400 + hours * 3600 + minutes * 60 + seconds;
  }
  const clock = CLOCK_DURATION.exec(text);
  if (clock) {
    const [, days, hours, minutes, seconds] = clock.map((part) => (part === undefined ? 0 : Number(part)));
    return days * 86400 + hours * 3600 + minutes * 60 + seconds;
  }
  return undefined;
}

export function durationForm(bounds: NumberBounds = {}): SettingForm<number> {
  const range = boundsText(bounds);
  const expected = `a duration${range ? `${range} seconds` : ''} as a number of seconds (e.g. 3600) or ISO-8601 (e.g. PT1H, P7D)`;
  return {
    label: `duration (seconds or ISO-8601)${boundsLabel(bounds)}`,
    parse(raw) {
      const value = parseDurationSeconds(raw);
      if (value === undefined || !withinBounds(value, bounds)) return bad(expected);
      return ok(value);
    },
  };
}

export function textForm(): SettingForm<string> {
  return { label: 'string', parse: (raw) => ok(raw.trim()) };
}

/** A case-insensitive choice among fixed words, normalised to the spelling given in `choices`. */
export function choiceForm<C extends string>(choices: readonly C[]): SettingForm<C> {
  const byLower = new Map(choices.map((choice) => [choice.toLowerCase(), choice]));
  const expected = `one of ${choices.join(', ')}`;
  return {
    label: choices.join(' | '),
    parse(raw) {
      const choice = byLower.get(raw.trim().toLowerCase());
      return choice === undefined ? bad(expected) : ok(choice);
    },
  };
}

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function logLevelForm(): SettingForm<LogLevel> {
  return choiceForm(LOG_LEVELS);
}

/** A comma-separated list; blanks are dropped. */
export function listForm(): SettingForm<string[]> {
  return {
    label: 'comma-separated list',
    parse: (raw) =>
      ok(
        raw
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item.length > 0),
      ),
  };
}

/** A JSON object whose values are durations (numbers of seconds or ISO-8601 strings), each > 0. */
export function durationMapForm(): SettingForm<Record<string, number>> {
  const expected =
    'a JSON object mapping names to positive durations in seconds, e.g. {"prefect.flow-run.heartbeat": 604800}';
  return {
    label: 'JSON object of durations',
    parse(raw) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        return bad(expected);
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return bad(expected);
      const result: Record<string, number> = {};
      for (const [key, value] of Object.entries(parsed)) {
        const seconds =
          typeof value === 'number'
            ? value
            : typeof value === 'string'
              ? parseDurationSeconds(value)
              : undefined;
        if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) return bad(expected);
        result[key] = seconds;
      }
      return ok(result);
    },
  };
}

export type BackendKind = 'memory' | 'redis';

/**
 * Prefect names pluggable backends by Python module path. Orrery has two implementations of each
 * (in-process and Redis), so every known module path is a synonym for one of the two words.
 */
export function backendForm(modules: {
  memory: readonly string[];
  redis: readonly string[];
}): SettingForm<BackendKind> {
  const expected = `memory or redis (or a Prefect module path: ${[...modules.memory, ...modules.redis].join(', ')})`;
  return {
    label: 'memory | redis (or Prefect module path)',
    parse(raw) {
      const text = raw.trim();
      const lower = text.toLowerCase();
      if (lower === 'memory' || modules.memory.includes(text)) return ok('memory');
      if (lower === 'redis' || modules.redis.includes(text)) return ok('redis');
      return bad(expected);
    },
  };
}
