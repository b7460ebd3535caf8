import type { FlowFilter } from '@orrery/domain';
import { type Clause, combine, exists } from './sql-clause';
import { listCriteria, nameCriteria, tagsCriteria } from './leaf-criteria';
import type { SqlParameters } from './sql-parameters';

/** A FlowFilter as a condition on the `flow` table. */
export function flowFilterClause(f: FlowFilter, p: SqlParameters): Clause {
  const parts: Clause[] = [];
  if (f.id != null) parts.push(listCriteria(p, 'flow.id', 'uuid', f.id));
  if (f.deployment != null) {
    const c: string[] = [];
    if (f.deployment.is_null_ != null) {
      // ix_deployment__flow_id
      const has = exists('deployment flow_deployment', 'flow_deployment.flow_id = flow.id', null);
      c.push(f.deployment.is_null_ ? `NOT ${has}` : has);
    }
    parts.push(combine(f.deployment.operator, c));
  }
  if (f.name != null) parts.push(nameCriteria(p, 'flow.name', f.name));
  if (f.tags != null) parts.push(tagsCriteria(p, 'flow.tags', f.tags));
  return combine(f.operator, parts);
}
