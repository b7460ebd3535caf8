import type { FlowRunCriteria, FlowRunSort, ListRequest } from '@orrery/domain';
import { flowRunCriteriaClause } from './criteria.where';
import { FLOW_RUN_ORDER } from './order-by';
import { CUSTOM_PLAN } from '../prepared-statements';
import { unfilteredCountQuery } from './list.queries';
import { whereSql } from './sql-clause';
import { type SqlFragment, SqlParameters } from './sql-parameters';

/**
 * The hot read of the API: `POST /flow_runs/filter` (UI run lists, workers, the SDK), and its
 * `/count` and `/paginate` siblings. The statement is always
 *
 *   SELECT <select> FROM flow_run [<joins>]
 *   WHERE <flow_runs filter>
 *     AND EXISTS (SELECT 1 FROM deployment WHERE deployment.id = flow_run.deployment_id AND …)  -- deployments
 *     AND EXISTS (SELECT 1 FROM work_queue run_queue JOIN work_pool … )                          -- work_pools
 *     AND EXISTS (SELECT 1 FROM work_queue WHERE work_queue.id = flow_run.work_queue_id AND …)   -- work_pool_queues
 *     AND EXISTS (SELECT 1 FROM flow WHERE flow.id = flow_run.flow_id AND …)                     -- flows
 *     AND EXISTS (SELECT 1 FROM task_run WHERE task_run.flow_run_id = flow_run.id AND …)         -- task_runs
 *   ORDER BY <FLOW_RUN_ORDER[sort]> LIMIT $n OFFSET $m
 *
 * with only the present parts, planned for its parameters at every execution (CUSTOM_PLAN, ADR
 * 0004). From offset DEEP_OFFSET on, the page is chosen on `flow_run` alone
 * (`WHERE flow_run.id IN (SELECT flow_run.id … LIMIT … OFFSET …)`) and only its rows are joined.
 * Indexes that serve it (migrations 1795300000000…):
 * - default list (ID_DESC, limit 200): pk_flow_run scanned backwards, stopping after `limit` rows;
 * - START_TIME_* sorts and `start_time{before_,after_}` (on COALESCE(start_time, expected_start_time)):
 *   ix_flow_run__coalesce_start_expected_desc_id (backwards for ASC; index-only with a state filter);
 * - state{type,name}: ix_flow_run__state_type, ix_flow_run__state_name (bitmap-AND with the above);
 * - name like_: trgm_ix_flow_run_name; flow_version, deployment_id, work_queue_name,
 *   parent_task_run_id: their ix_flow_run__* b-trees; end/expected/next-scheduled times and sorts:
 *   ix_flow_run__end_time_desc, ix_flow_run__expected_start_time_desc_id,
 *   ix_flow_run__next_scheduled_start_time_asc;
 * - EXISTS correlations: pk_deployment, pk_work_queue, pk_flow, ix_task_run__flow_run_id;
 *   parent_flow_run_id: pk_task_run.
 * Tags (`@>` / `?|` on jsonb) have no index of their own (Prefect has none either); they filter the
 * rows the other criteria or the sort index produce. Run `explainFlowRunListQuery` to see the plan.
 */
export interface FlowRunQueryShape {
  /** Select list (default `flow_run.*`). */
  select?: string;
  /** Joins appended after `FROM flow_run`; alias joined tables (`run_work_queue`, …) so they never shadow the EXISTS sub-queries. */
  joins?: string;
}

export function flowRunListQuery(
  request: ListRequest<FlowRunCriteria, FlowRunSort>,
  shape: FlowRunQueryShape = {},
): SqlFragment {
  const p = new SqlParameters();
  const where = whereSql(flowRunCriteriaClause(request, p));
  const order = FLOW_RUN_ORDER[request.sort];
  const select = `${CUSTOM_PLAN}SELECT ${shape.select ?? 'flow_run.*'} FROM flow_run${shape.joins ? ` ${shape.joins}` : ''}`;
  const window = ` LIMIT ${p.add(request.limit, 'int')} OFFSET ${p.add(request.offset, 'int')}`;
  if (request.offset < DEEP_OFFSET) {
    return { sql: `${select} WHERE ${where} ORDER BY ${order}${window}`, params: p.values };
  }
  // A deep page: its ids first, the wide row and its joins only for them. Otherwise the state row
  // was joined for every skipped run (50 000 joins for offset 50 000: ~1 s at a million runs).
  const page = `SELECT flow_run.id FROM flow_run WHERE ${where} ORDER BY ${order}${window}`;
  return { sql: `${select} WHERE flow_run.id IN (${page}) ORDER BY ${order}`, params: p.values };
}

/** From this offset on, the list picks the page's ids before joining anything. */
export const DEEP_OFFSET = 200;

/** `POST /flow_runs/count`: the same filters, no order or window (no filter: unfilteredCountQuery). */
export function flowRunCountQuery(criteria: FlowRunCriteria): SqlFragment {
  const p = new SqlParameters();
  const clause = flowRunCriteriaClause(criteria, p);
  if (clause === null) return unfilteredCountQuery('flow_run');
  return {
    sql: `${CUSTOM_PLAN}SELECT count(*)::int AS count FROM flow_run WHERE ${whereSql(clause)}`,
    params: p.values,
  };
}

/** The WHERE body alone, numbering parameters after `paramOffset` (for statements built elsewhere). */
export function compileFlowRunWhere(criteria: FlowRunCriteria, paramOffset = 0): SqlFragment {
  const p = new SqlParameters(paramOffset);
  return { sql: whereSql(flowRunCriteriaClause(criteria, p)), params: p.values };
}
