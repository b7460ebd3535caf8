import type { FlowRunFilter } from '@orrery/domain';
import { anyOf, type Clause, combine, exists, isNull } from './sql-clause';
import {
  listCriteria,
  nameCriteria,
  nullableListCriteria,
  tagsCriteria,
  timeCriteria,
} from './leaf-criteria';
import type { SqlParameters } from './sql-parameters';

/** The expression the UI's start-time filters and sorts use (ix_flow_run__coalesce_start_expected_desc_id). */
export const FLOW_RUN_START_EXPRESSION = 'COALESCE(flow_run.start_time, flow_run.expected_start_time)';

/** A FlowRunFilter as a condition on the `flow_run` table. */
export function flowRunFilterClause(f: FlowRunFilter, p: SqlParameters): Clause {
  const parts: Clause[] = [];
  if (f.id != null) parts.push(listCriteria(p, 'flow_run.id', 'uuid', f.id));
  if (f.name != null) parts.push(nameCriteria(p, 'flow_run.name', f.name));
  if (f.tags != null) parts.push(tagsCriteria(p, 'flow_run.tags', f.tags));
  if (f.deployment_id != null)
    parts.push(nullableListCriteria(p, 'flow_run.deployment_id', 'uuid', f.deployment_id));
  if (f.work_queue_name != null) {
    parts.push(nullableListCriteria(p, 'flow_run.work_queue_name', 'text', f.work_queue_name));
  }
  if (f.flow_version != null) parts.push(listCriteria(p, 'flow_run.flow_version', 'text', f.flow_version));
  if (f.state != null) {
    // Prefect keeps only the state sub-criteria that compile to a condition: an empty `type: {}`
    // is dropped rather than turning an `or_` into "everything".
    const state: Clause[] = [];
    if (f.state.type != null) state.push(listCriteria(p, 'flow_run.state_type', 'state_type', f.state.type));
    if (f.state.name != null) state.push(listCriteria(p, 'flow_run.state_name', 'text', f.state.name));
    parts.push(
      combine(
        f.state.operator,
        state.filter((c) => c !== null),
      ),
    );
  }
  if (f.start_time != null) {
    parts.push(timeCriteria(p, 'flow_run.start_time', f.start_time, FLOW_RUN_START_EXPRESSION));
  }
  if (f.end_time != null) parts.push(timeCriteria(p, 'flow_run.end_time', f.end_time));
  if (f.expected_start_time != null) {
    parts.push(timeCriteria(p, 'flow_run.expected_start_time', f.expected_start_time));
  }
  if (f.next_scheduled_start_time != null) {
    parts.push(timeCriteria(p, 'flow_run.next_scheduled_start_time', f.next_scheduled_start_time));
  }
  if (f.parent_flow_run_id != null) {
    const c: string[] = [];
    if (f.parent_flow_run_id.any_ != null) {
      // Subflows: the run's parent task run belongs to one of the given flow runs (pk_task_run).
      const parent = anyOf(p, 'parent_task_run.flow_run_id', f.parent_flow_run_id.any_, 'uuid');
      c.push(exists('task_run parent_task_run', 'parent_task_run.id = flow_run.parent_task_run_id', parent));
    }
    parts.push(combine(f.parent_flow_run_id.operator, c));
  }
  if (f.parent_task_run_id != null) {
    parts.push(nullableListCriteria(p, 'flow_run.parent_task_run_id', 'uuid', f.parent_task_run_id));
  }
  if (f.idempotency_key != null) {
    parts.push(listCriteria(p, 'flow_run.idempotency_key', 'text', f.idempotency_key));
  }
  if (f.created_by != null) {
    const c: string[] = [];
    const by = f.created_by;
    if (by.id_ != null) c.push(anyOf(p, "(flow_run.created_by ->> 'id')", by.id_, 'text'));
    if (by.type_ != null) c.push(anyOf(p, "(flow_run.created_by ->> 'type')", by.type_, 'text'));
    if (by.is_null_ != null) c.push(isNull('flow_run.created_by', by.is_null_));
    parts.push(combine(by.operator, c));
  }
  return combine(f.operator, parts);
}
