import type { DeploymentFilter } from '@orrery/domain';
import { type Clause, combine, contains, equals, exists } from './sql-clause';
import { listCriteria, nameCriteria, tagsCriteria } from './leaf-criteria';
import type { SqlParameters } from './sql-parameters';

/** A DeploymentFilter as a condition on the `deployment` table. */
export function deploymentFilterClause(f: DeploymentFilter, p: SqlParameters): Clause {
  const parts: Clause[] = [];
  if (f.id != null) parts.push(listCriteria(p, 'deployment.id', 'uuid', f.id));
  if (f.name != null) parts.push(nameCriteria(p, 'deployment.name', f.name));
  if (f.flow_or_deployment_name != null) {
    const c: string[] = [];
    const like = f.flow_or_deployment_name.like_;
    if (like != null && like !== '') {
      const flowName = exists(
        'flow deployment_flow',
        'deployment_flow.id = deployment.flow_id',
        contains(p, 'deployment_flow.name', like),
      );
      c.push(`(${contains(p, 'deployment.name', like)} OR ${flowName})`);
    }
    parts.push(combine('and_', c));
  }
  if (f.paused != null) {
    parts.push(combine('and_', f.paused.eq_ != null ? [equals(p, 'deployment.paused', f.paused.eq_)] : []));
  }
  if (f.tags != null) parts.push(tagsCriteria(p, 'deployment.tags', f.tags));
  if (f.work_queue_name != null) {
    parts.push(listCriteria(p, 'deployment.work_queue_name', 'text', f.work_queue_name));
  }
  // concurrency_limit: deprecated and ignored by Prefect (the legacy column is never written).
  return combine(f.operator, parts);
}
