import type { FilterOperator, Instant } from '@orrery/domain';
import {
  anyOf,
  atOrAfter,
  atOrBefore,
  type Clause,
  combine,
  contains,
  isNull,
  noneOf,
  tagsContainAll,
  tagsEmpty,
  tagsOverlap,
} from './sql-clause';
import type { SqlParameters } from './sql-parameters';

/**
 * The leaf shapes that recur across filter models, compiled once. Each follows Prefect's presence
 * rules: `any_` applies whenever it is not null (an empty list matches nothing), `not_any_`,
 * `all_` and `like_` only when non-empty, booleans whenever not null.
 */

export function listCriteria(
  p: SqlParameters,
  column: string,
  type: string,
  f: { any_?: readonly string[] | null; not_any_?: readonly string[] | null },
): Clause {
  const c: string[] = [];
  if (f.any_ != null) c.push(anyOf(p, column, f.any_, type));
  if (f.not_any_ != null && f.not_any_.length > 0) c.push(noneOf(p, column, f.not_any_, type));
  return combine('and_', c);
}

export function nullableListCriteria(
  p: SqlParameters,
  column: string,
  type: string,
  f: { operator?: FilterOperator | null; any_?: readonly string[] | null; is_null_?: boolean | null },
): Clause {
  const c: string[] = [];
  if (f.any_ != null) c.push(anyOf(p, column, f.any_, type));
  if (f.is_null_ != null) c.push(isNull(column, f.is_null_));
  return combine(f.operator, c);
}

export function nameCriteria(
  p: SqlParameters,
  column: string,
  f: { any_?: readonly string[] | null; like_?: string | null },
): Clause {
  const c: string[] = [];
  if (f.any_ != null) c.push(anyOf(p, column, f.any_, 'text'));
  if (f.like_ != null && f.like_ !== '') c.push(contains(p, column, f.like_));
  return combine('and_', c);
}

/** `before_`/`after_` on `rangeExpression`, `is_null_` on `column` (they differ for flow-run start_time). */
export function timeCriteria(
  p: SqlParameters,
  column: string,
  f: { before_?: Instant | null; after_?: Instant | null; is_null_?: boolean | null },
  rangeExpression: string = column,
): Clause {
  const c: string[] = [];
  if (f.before_ != null) c.push(atOrBefore(p, rangeExpression, f.before_));
  if (f.after_ != null) c.push(atOrAfter(p, rangeExpression, f.after_));
  if (f.is_null_ != null) c.push(isNull(column, f.is_null_));
  return combine('and_', c);
}

export function tagsCriteria(
  p: SqlParameters,
  column: string,
  f: {
    operator?: FilterOperator | null;
    all_?: readonly string[] | null;
    any_?: readonly string[] | null;
    is_null_?: boolean | null;
  },
): Clause {
  const c: string[] = [];
  if (f.all_ != null && f.all_.length > 0) c.push(tagsContainAll(p, column, f.all_));
  if (f.any_ != null) c.push(tagsOverlap(p, column, f.any_));
  if (f.is_null_ != null) c.push(tagsEmpty(column, f.is_null_));
  return combine(f.operator, c);
}
