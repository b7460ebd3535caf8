import type { TaskRunFilter } from '@orrery/domain';
import { anyOf, type Clause, combine, exists, isNull } from './sql-clause';
import { listCriteria, nameCriteria, tagsCriteria, timeCriteria } from './leaf-criteria';
import type { SqlParameters } from './sql-parameters';

/** A TaskRunFilter as a condition on the `task_run` table. */
export function taskRunFilterClause(f: TaskRunFilter, p: SqlParameters): Clause {
  const parts: Clause[] = [];
  if (f.id != null) parts.push(listCriteria(p, 'task_run.id', 'uuid', f.id));
  if (f.name != null) parts.push(nameCriteria(p, 'task_run.name', f.name));
  if (f.tags != null) parts.push(tagsCriteria(p, 'task_run.tags', f.tags));
  if (f.state != null) {
    const state: Clause[] = [];
    if (f.state.type != null) state.push(listCriteria(p, 'task_run.state_type', 'state_type', f.state.type));
    if (f.state.name != null) state.push(listCriteria(p, 'task_run.state_name', 'text', f.state.name));
    parts.push(
      combine(
        f.state.operator,
        state.filter((c) => c !== null),
      ),
    );
  }
  if (f.start_time != null) parts.push(timeCriteria(p, 'task_run.start_time', f.start_time));
  if (f.end_time != null) parts.push(timeCriteria(p, 'task_run.end_time', f.end_time));
  if (f.expected_start_time != null) {
    parts.push(timeCriteria(p, 'task_run.expected_start_time', f.expected_start_time));
  }
  if (f.subflow_runs != null) {
    const c: string[] = [];
    if (f.subflow_runs.exists_ != null) {
      // ix_flow_run__parent_task_run_id
      const has = exists('flow_run subflow_run', 'subflow_run.parent_task_run_id = task_run.id', null);
      c.push(f.subflow_runs.exists_ ? has : `NOT ${has}`);
    }
    parts.push(combine('and_', c));
  }
  if (f.flow_run_id != null) {
    // Prefect quirk: is_null_ defaults to false, so without any_ the object means "has a flow run".
    const { any_, operator } = f.flow_run_id;
    const isNullWanted = f.flow_run_id.is_null_ === undefined ? false : f.flow_run_id.is_null_;
    const c: string[] = [];
    if (isNullWanted === true) c.push(isNull('task_run.flow_run_id', true));
    else if (isNullWanted === false && any_ == null) c.push(isNull('task_run.flow_run_id', false));
    else if (any_ != null) c.push(anyOf(p, 'task_run.flow_run_id', any_, 'uuid'));
    parts.push(combine(operator, c));
  }
  return combine(f.operator, parts);
}
