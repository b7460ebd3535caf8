import { type LogFilter, parseLogTextQuery } from '@orrery/domain';
import { type Clause, combine } from './sql-clause';
import { listCriteria, nullableListCriteria, timeCriteria } from './leaf-criteria';
import type { SqlParameters } from './sql-parameters';

/** What the text search looks through: the message, a space, the logger name, lower-cased. */
const SEARCHABLE = "lower(concat(log.message, ' ', log.name))";

/** A LogFilter as a condition on the `log` table. */
export function logFilterClause(f: LogFilter, p: SqlParameters): Clause {
  const parts: Clause[] = [];
  if (f.level != null) {
    const c: string[] = [];
    if (f.level.ge_ != null) c.push(`log.level >= ${p.add(f.level.ge_, 'int')}`);
    if (f.level.le_ != null) c.push(`log.level <= ${p.add(f.level.le_, 'int')}`);
    parts.push(combine('and_', c));
  }
  if (f.timestamp != null) parts.push(timeCriteria(p, 'log."timestamp"', f.timestamp));
  if (f.flow_run_id != null) parts.push(listCriteria(p, 'log.flow_run_id', 'uuid', f.flow_run_id));
  if (f.task_run_id != null) parts.push(nullableListCriteria(p, 'log.task_run_id', 'uuid', f.task_run_id));
  // The text search contributes its groups directly to this filter's list (as Prefect's does), so
  // under `or_` each group is an alternative of its own; a blank query contributes nothing.
  if (f.text != null) parts.push(...logTextClauses(f.text.query, p));
  return combine(f.operator, parts);
}

/** Include terms OR-ed, exclude terms each absent, required terms each present: case-insensitive substrings. */
export function logTextClauses(query: string, p: SqlParameters): string[] {
  if (query.trim() === '') return [];
  const parsed = parseLogTextQuery(query);
  const has = (term: string): string => `strpos(${SEARCHABLE}, lower(${p.add(term, 'text')})) > 0`;
  const clauses: string[] = [];
  if (parsed.include.length > 0) clauses.push(combine('or_', parsed.include.map(has))!);
  if (parsed.exclude.length > 0)
    clauses.push(
      combine(
        'and_',
        parsed.exclude.map((t) => `NOT ${has(t)}`),
      )!,
    );
  if (parsed.required.length > 0) clauses.push(combine('and_', parsed.required.map(has))!);
  return clauses;
}
