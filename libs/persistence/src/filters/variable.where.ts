import type { AutomationFilter, VariableFilter } from '@orrery/domain';
import { atOrBefore, type Clause, combine } from './sql-clause';
import { listCriteria, nameCriteria, tagsCriteria } from './leaf-criteria';
import type { SqlParameters } from './sql-parameters';

/** A VariableFilter as a condition on the `variable` table. */
export function variableFilterClause(f: VariableFilter, p: SqlParameters): Clause {
  const parts: Clause[] = [];
  if (f.id != null) parts.push(listCriteria(p, 'variable.id', 'uuid', f.id));
  if (f.name != null) parts.push(nameCriteria(p, 'variable.name', f.name));
  if (f.tags != null) parts.push(tagsCriteria(p, 'variable.tags', f.tags));
  return combine(f.operator, parts);
}

/** An AutomationFilter as a condition on the `automation` table. */
export function automationFilterClause(f: AutomationFilter, p: SqlParameters): Clause {
  const parts: Clause[] = [];
  if (f.name != null) parts.push(listCriteria(p, 'automation.name', 'text', f.name));
  if (f.created != null) {
    parts.push(
      combine(
        'and_',
        f.created.before_ != null ? [atOrBefore(p, 'automation.created', f.created.before_)] : [],
      ),
    );
  }
  if (f.tags != null) parts.push(tagsCriteria(p, 'automation.tags', f.tags));
  return combine(f.operator, parts);
}
