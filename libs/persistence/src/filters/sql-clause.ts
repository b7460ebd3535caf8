import type { FilterOperator, Instant } from '@orrery/domain';
import type { SqlParameters } from './sql-parameters';

/**
 * A compiled criterion: SQL text, or `null` for "matches everything" (Prefect's `sa.true()`). Keeping
 * TRUE symbolic lets the combinators reproduce SQLAlchemy's simplifications exactly: TRUE vanishes
 * from an AND and swallows an OR.
 */
export type Clause = string | null;

/** Combines present criteria with `operator` (AND unless `or_`); no criteria at all match everything. */
export function combine(operator: FilterOperator | null | undefined, clauses: readonly Clause[]): Clause {
  const real = clauses.filter((c): c is string => c !== null);
  if (real.length === 0) return null;
  if (operator === 'or_') {
    // A TRUE alternative makes the whole OR true. The other alternatives stay in the text, behind a
    // literal TRUE that PostgreSQL folds away, because their parameters are already bound.
    if (real.length < clauses.length) return `(TRUE OR ${real.join(' OR ')})`;
    return real.length === 1 ? real[0]! : `(${real.join(' OR ')})`;
  }
  return real.length === 1 ? real[0]! : `(${real.join(' AND ')})`;
}

/** A WHERE body for a clause (TRUE when it matches everything). */
export function whereSql(clause: Clause): string {
  return clause ?? 'TRUE';
}

/** `EXISTS (SELECT 1 FROM <from> WHERE <correlation> [AND <clause>])`. */
export function exists(from: string, correlation: string, clause: Clause): string {
  return `EXISTS (SELECT 1 FROM ${from} WHERE ${correlation}${clause === null ? '' : ` AND ${clause}`})`;
}

/** Escapes LIKE wildcards so user text matches literally (backslash is PostgreSQL's LIKE escape). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * A PostgreSQL array literal (`{"a","b"}`) for binding a list as text and casting it (`$n::uuid[]`).
 * Lists travel as literals rather than JS arrays because PGlite's driver cannot serialise arrays of
 * enum types (`state_type[]`), and one representation keeps both engines on the same statements.
 */
export function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

// ---- leaf operators (spec §1.5). Each returns the SQL of one condition. ----

/** `any_`: value ∈ list; an empty list matches nothing (`= ANY('{}')` is false). */
export function anyOf(p: SqlParameters, column: string, values: readonly string[], type: string): string {
  return `${column} = ANY(${p.add(arrayLiteral(values), `${type}[]`)})`;
}

/** `not_any_`: value ∉ list (NULL values never match, as with SQL `NOT IN`). */
export function noneOf(p: SqlParameters, column: string, values: readonly string[], type: string): string {
  return `${column} <> ALL(${p.add(arrayLiteral(values), `${type}[]`)})`;
}

/** `like_`: case-insensitive substring, served by the `trgm_ix_*` GIN indexes. */
export function contains(p: SqlParameters, column: string, text: string): string {
  return `${column} ILIKE ${p.add(`%${escapeLike(text)}%`, 'text')}`;
}

/** `startswith_` (one prefix): case-insensitive prefix match. */
export function startsWith(p: SqlParameters, column: string, prefix: string): string {
  return `${column} ILIKE ${p.add(`${escapeLike(prefix)}%`, 'text')}`;
}

/** `is_null_`. */
export function isNull(column: string, isNullWanted: boolean): string {
  return `${column} ${isNullWanted ? 'IS NULL' : 'IS NOT NULL'}`;
}

/** `before_` (inclusive). */
export function atOrBefore(p: SqlParameters, column: string, instant: Instant): string {
  return `${column} <= ${p.add(instant.toISOString(), 'timestamptz')}`;
}

/** `after_` (inclusive). */
export function atOrAfter(p: SqlParameters, column: string, instant: Instant): string {
  return `${column} >= ${p.add(instant.toISOString(), 'timestamptz')}`;
}

/** `eq_` on a boolean column. */
export function equals(p: SqlParameters, column: string, value: boolean): string {
  return `${column} = ${p.add(value, 'boolean')}`;
}

/** Tags `all_`: the row's JSON array contains every listed tag. */
export function tagsContainAll(p: SqlParameters, column: string, tags: readonly string[]): string {
  return `${column} @> ${p.add(JSON.stringify(tags), 'jsonb')}`;
}

/** Tags `any_`: the row's JSON array holds at least one listed tag (empty list: nothing). */
export function tagsOverlap(p: SqlParameters, column: string, tags: readonly string[]): string {
  return `${column} ?| ${p.add(arrayLiteral(tags), 'text[]')}`;
}

/** Tags `is_null_`: Prefect means "has no tags", i.e. equals `[]`. */
export function tagsEmpty(column: string, emptyWanted: boolean): string {
  return `${column} ${emptyWanted ? '=' : '<>'} '[]'::jsonb`;
}
