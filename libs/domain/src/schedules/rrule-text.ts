/*
 * RRULE text as dateutil's rrulestr accepts it, checked structurally: the schedule is stored as
 * validated text and expanded later by the scheduler.
 */

const MAX_LENGTH = 6500;
const FREQUENCIES = new Set(['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY', 'MINUTELY', 'SECONDLY']);
const RULE_KEYS = new Set([
  'FREQ',
  'INTERVAL',
  'COUNT',
  'UNTIL',
  'WKST',
  'BYSETPOS',
  'BYMONTH',
  'BYMONTHDAY',
  'BYYEARDAY',
  'BYEASTER',
  'BYWEEKNO',
  'BYDAY',
  'BYWEEKDAY',
  'BYHOUR',
  'BYMINUTE',
  'BYSECOND',
]);
const DATE_TIME = /^\d{8}(T\d{6}Z?)?$/;

/** Why the text is not a usable recurrence rule, or null when it is one. */
export function rruleProblem(text: string): string | null {
  if (text.length > MAX_LENGTH) return `Max length is ${MAX_LENGTH}, got ${text.length}`;
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length === 0) return 'Invalid RRule string: empty';
  let rules = 0;
  for (const line of lines) {
    const colon = line.indexOf(':');
    // A bare rule (`FREQ=DAILY`) is allowed when it is the only line.
    const name = colon < 0 ? 'RRULE' : line.slice(0, colon).split(';')[0]!.toUpperCase();
    const body = colon < 0 ? line : line.slice(colon + 1);
    if (colon < 0 && lines.length > 1) return `Invalid RRule string: unsupported line "${line}"`;
    if (name === 'RRULE' || name === 'EXRULE') {
      const problem = ruleProblem(body);
      if (problem !== null) return problem;
      if (name === 'RRULE') rules += 1;
    } else if (name === 'DTSTART' || name === 'RDATE' || name === 'EXDATE') {
      if (!body.split(',').every((d) => DATE_TIME.test(d.trim()))) {
        return `Invalid RRule string: invalid date in "${line}"`;
      }
    } else {
      return `Invalid RRule string: unsupported property "${name}"`;
    }
  }
  return rules === 0 && !lines.some((l) => l.toUpperCase().startsWith('RDATE'))
    ? 'Invalid RRule string: no RRULE'
    : null;
}

function ruleProblem(rule: string): string | null {
  let frequency: string | undefined;
  for (const part of rule.split(';').filter((p) => p !== '')) {
    const [key, value, ...rest] = part.split('=');
    if (key === undefined || value === undefined || value === '' || rest.length > 0) {
      return `Invalid RRule string: malformed part "${part}"`;
    }
    const upper = key.toUpperCase();
    if (!RULE_KEYS.has(upper)) return `Invalid RRule string: unknown property "${key}"`;
    if (upper === 'FREQ') frequency = value.toUpperCase();
    if ((upper === 'INTERVAL' || upper === 'COUNT') && !/^\d+$/.test(value)) {
      return `Invalid RRule string: ${upper} must be an integer`;
    }
    if (upper === 'UNTIL' && !DATE_TIME.test(value)) return `Invalid RRule string: invalid UNTIL "${value}"`;
  }
  if (frequency === undefined || !FREQUENCIES.has(frequency)) {
    return 'Invalid RRule string: FREQ must be one of YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY, MINUTELY, SECONDLY';
  }
  return null;
}

/**
 * Pins a bare rule to the moment it is written, as Prefect does on writes: without an explicit
 * `DTSTART` the recurrence would be anchored to whenever it is expanded and drift with it. The
 * rule keeps its text; a bare `FREQ=…` line gains its `RRULE:` name. Timestamps are UTC, seconds.
 */
export function withDtstart(text: string, now: Date = new Date()): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.some((l) => l.toUpperCase().startsWith('DTSTART'))) return text;
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '');
  const named = lines.map((l) => (l.includes(':') ? l : `RRULE:${l}`));
  return [`DTSTART:${stamp}`, ...named].join('\n');
}
