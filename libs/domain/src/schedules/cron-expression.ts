/*
 * Cron syntax as Prefect accepts it (croniter.is_valid, minus croniter's random `R` and hashed `H`
 * extensions, which Prefect refuses): 5 fields, or 6 with trailing seconds, or an `@` macro.
 */

const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldSpec {
  readonly min: number;
  readonly max: number;
  /** Names accepted in place of numbers, the first one standing for `min`. */
  readonly names?: readonly string[];
  readonly kind: 'minute' | 'hour' | 'dom' | 'month' | 'dow' | 'second';
}

const FIELDS: readonly FieldSpec[] = [
  { min: 0, max: 59, kind: 'minute' },
  { min: 0, max: 23, kind: 'hour' },
  { min: 1, max: 31, kind: 'dom' },
  { min: 1, max: 12, names: MONTHS, kind: 'month' },
  // 7 is Sunday as well as 0.
  { min: 0, max: 7, names: DAYS, kind: 'dow' },
  { min: 0, max: 59, kind: 'second' },
];

/** Why the expression is not one Prefect would schedule, or null when it is valid. */
export function cronProblem(expression: string): string | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.some((f) => ['r', 'h'].includes(f.toLowerCase()))) {
    return `Random and Hashed expressions are unsupported, received: "${expression}"`;
  }
  const invalid = `Invalid cron string: "${expression}"`;
  if (fields.length === 1 && MACROS.has(fields[0]!.toLowerCase())) return null;
  if (fields.length !== 5 && fields.length !== 6) return invalid;
  return fields.every((field, i) => validField(field, FIELDS[i]!)) ? null : invalid;
}

function validField(field: string, spec: FieldSpec): boolean {
  return field.split(',').every((item) => item !== '' && validItem(item, spec));
}

function validItem(item: string, spec: FieldSpec): boolean {
  const lower = item.toLowerCase();
  if (spec.kind === 'dom' && (lower === 'l' || lower === '?')) return true;
  if (spec.kind === 'dow') {
    if (lower === '?') return true;
    // `5#2` (second Friday) and `5l` (last Friday).
    const nth = /^([a-z0-9]+)#([1-5])$/.exec(lower);
    if (nth !== null) return value(nth[1]!, spec) !== null;
    const last = /^([a-z0-9]+)l$/.exec(lower);
    if (last !== null) return value(last[1]!, spec) !== null;
  }
  const [range, step, ...rest] = lower.split('/');
  if (rest.length > 0 || range === undefined) return false;
  if (step !== undefined && !(/^\d+$/.test(step) && Number(step) > 0)) return false;
  if (range === '*') return true;
  const bounds = range.split('-');
  if (bounds.length === 1) return value(bounds[0]!, spec) !== null;
  if (bounds.length !== 2) return false;
  const low = value(bounds[0]!, spec);
  const high = value(bounds[1]!, spec);
  return low !== null && high !== null;
}

function value(text: string, spec: FieldSpec): number | null {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= spec.min && n <= spec.max ? n : null;
  }
  const index = spec.names?.indexOf(text) ?? -1;
  return index < 0 ? null : index + (spec.kind === 'month' ? 1 : 0);
}
