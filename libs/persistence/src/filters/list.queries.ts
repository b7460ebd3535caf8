import type {
  ArtifactCollectionCriteria,
  ArtifactCollectionSort,
  ArtifactCriteria,
  ArtifactSort,
  AutomationCriteria,
  AutomationSort,
  BlockDocumentCriteria,
  BlockDocumentSort,
  BlockSchemaCriteria,
  BlockTypeCriteria,
  DeploymentCriteria,
  DeploymentSort,
  FlowCriteria,
  FlowSort,
  ListRequest,
  LogCriteria,
  LogSort,
  PageWindow,
  TaskRunCriteria,
  TaskRunSort,
  VariableCriteria,
  VariableSort,
  WorkerCriteria,
  WorkPoolCriteria,
  WorkQueueCriteria,
} from '@orrery/domain';
import {
  artifactCollectionCriteriaClause,
  artifactCriteriaClause,
  automationCriteriaClause,
  blockDocumentCriteriaClause,
  blockSchemaCriteriaClause,
  blockTypeCriteriaClause,
  deploymentCriteriaClause,
  flowCriteriaClause,
  logCriteriaClause,
  taskRunCriteriaClause,
  variableCriteriaClause,
  workerCriteriaClause,
  workPoolCriteriaClause,
  workQueueCriteriaClause,
} from './criteria.where';
import {
  artifactOrder,
  AUTOMATION_ORDER,
  BLOCK_DOCUMENT_ORDER,
  DEPLOYMENT_ORDER,
  FIXED_ORDER,
  FLOW_ORDER,
  LOG_ORDER,
  TASK_RUN_ORDER,
  VARIABLE_ORDER,
} from './order-by';
import { CUSTOM_PLAN } from '../prepared-statements';
import { type Clause, whereSql } from './sql-clause';
import { type SqlFragment, SqlParameters } from './sql-parameters';

/**
 * List and count statements of every other `/filter` and `/count` endpoint, one shape for all:
 * `SELECT <select> FROM <table> WHERE <criteria> ORDER BY <order> LIMIT $n OFFSET $m`. The
 * flow-run list lives in flow-run-list.query.ts; the ORDER BY of each sort (and the index that
 * serves it) in order-by.ts; the EXISTS correlations in criteria.where.ts. Planned for their
 * parameters at every execution (CUSTOM_PLAN): the filter's values decide the plan.
 */

type Compile<C> = (criteria: C, p: SqlParameters) => Clause;

function list<C>(
  table: string,
  compile: Compile<C>,
  criteria: C,
  order: string,
  window: PageWindow,
  select?: string,
): SqlFragment {
  const p = new SqlParameters();
  const where = whereSql(compile(criteria, p));
  const sql =
    `${CUSTOM_PLAN}SELECT ${select ?? `${table}.*`} FROM ${table} WHERE ${where} ORDER BY ${order}` +
    ` LIMIT ${p.add(window.limit, 'int')} OFFSET ${p.add(window.offset, 'int')}`;
  return { sql, params: p.values };
}

function count<C>(table: string, compile: Compile<C>, criteria: C): SqlFragment {
  const p = new SqlParameters();
  const clause = compile(criteria, p);
  if (clause === null) return unfilteredCountQuery(table);
  return {
    sql: `${CUSTOM_PLAN}SELECT count(*)::int AS count FROM ${table} WHERE ${whereSql(clause)}`,
    params: p.values,
  };
}

/** From this many rows (PostgreSQL's estimate) an unfiltered count is the estimate. */
export const ESTIMATED_COUNT_FROM = 500_000;

/**
 * `count` with no filter at all: exact below ESTIMATED_COUNT_FROM rows, PostgreSQL's own row
 * estimate above (the planner's formula: rows per page at the last ANALYZE × the table's pages now,
 * within about a percent once autovacuum has analysed it). An exact count of five million task
 * runs reads every entry of an index, about 0.7 s; the UI's unfiltered counts are page totals.
 * The exact count is an InitPlan, which PostgreSQL runs only when the CASE reaches it.
 */
export function unfilteredCountQuery(table: string): SqlFragment {
  const sql = `SELECT (CASE WHEN e.n >= ${ESTIMATED_COUNT_FROM} THEN e.n ELSE (SELECT count(*) FROM ${table}) END)::int AS count
    FROM (SELECT ${tableRowEstimateSql(table)} AS n) e`;
  return { sql, params: [] };
}

/** A scalar subquery: PostgreSQL's estimate of the table's rows now (0 before its first ANALYZE). */
export function tableRowEstimateSql(table: string): string {
  return `(SELECT CASE WHEN c.reltuples < 0 OR c.relpages = 0 THEN 0
        ELSE c.reltuples / c.relpages * (pg_relation_size(c.oid) / current_setting('block_size')::int) END
      FROM pg_class c WHERE c.oid = '${table}'::regclass)`;
}

export const flowListQuery = (r: ListRequest<FlowCriteria, FlowSort>, select?: string): SqlFragment =>
  list('flow', flowCriteriaClause, r, FLOW_ORDER[r.sort], r, select);
export const flowCountQuery = (c: FlowCriteria): SqlFragment => count('flow', flowCriteriaClause, c);

export const taskRunListQuery = (
  r: ListRequest<TaskRunCriteria, TaskRunSort>,
  select?: string,
): SqlFragment => list('task_run', taskRunCriteriaClause, r, TASK_RUN_ORDER[r.sort], r, select);
export const taskRunCountQuery = (c: TaskRunCriteria): SqlFragment =>
  count('task_run', taskRunCriteriaClause, c);

export const deploymentListQuery = (
  r: ListRequest<DeploymentCriteria, DeploymentSort>,
  select?: string,
): SqlFragment => list('deployment', deploymentCriteriaClause, r, DEPLOYMENT_ORDER[r.sort], r, select);
export const deploymentCountQuery = (c: DeploymentCriteria): SqlFragment =>
  count('deployment', deploymentCriteriaClause, c);

export const logListQuery = (r: ListRequest<LogCriteria, LogSort>, select?: string): SqlFragment =>
  list('log', logCriteriaClause, r, LOG_ORDER[r.sort], r, select);

export const artifactListQuery = (
  r: ListRequest<ArtifactCriteria, ArtifactSort>,
  select?: string,
): SqlFragment => list('artifact', artifactCriteriaClause, r, artifactOrder('artifact', r.sort), r, select);
export const artifactCountQuery = (c: ArtifactCriteria): SqlFragment =>
  count('artifact', artifactCriteriaClause, c);

export const artifactCollectionListQuery = (
  r: ListRequest<ArtifactCollectionCriteria, ArtifactCollectionSort>,
  select?: string,
): SqlFragment =>
  list(
    'artifact_collection',
    artifactCollectionCriteriaClause,
    r,
    artifactOrder('artifact_collection', r.sort),
    r,
    select,
  );
export const artifactCollectionCountQuery = (c: ArtifactCollectionCriteria): SqlFragment =>
  count('artifact_collection', artifactCollectionCriteriaClause, c);

export const variableListQuery = (
  r: ListRequest<VariableCriteria, VariableSort>,
  select?: string,
): SqlFragment => list('variable', variableCriteriaClause, r, VARIABLE_ORDER[r.sort], r, select);
export const variableCountQuery = (c: VariableCriteria): SqlFragment =>
  count('variable', variableCriteriaClause, c);

export const workPoolListQuery = (r: ListRequest<WorkPoolCriteria>, select?: string): SqlFragment =>
  list('work_pool', workPoolCriteriaClause, r, FIXED_ORDER.workPool, r, select);
export const workPoolCountQuery = (c: WorkPoolCriteria): SqlFragment =>
  count('work_pool', workPoolCriteriaClause, c);

/** Queues of one pool (`/work_pools/{name}/queues/filter`), by priority: the pool id is bound first. */
export function workQueueInPoolListQuery(
  workPoolId: string,
  r: ListRequest<WorkQueueCriteria>,
  select?: string,
): SqlFragment {
  const compile: Compile<WorkQueueCriteria> = (c, p) => {
    const inPool = `work_queue.work_pool_id = ${p.add(workPoolId, 'uuid')}`;
    const rest = workQueueCriteriaClause(c, p);
    return rest === null ? inPool : `${inPool} AND ${rest}`;
  };
  return list('work_queue', compile, r, FIXED_ORDER.workQueueInPool, r, select);
}

/** Legacy `/work_queues/filter`: every queue, by name. */
export const workQueueListQuery = (r: ListRequest<WorkQueueCriteria>, select?: string): SqlFragment =>
  list('work_queue', workQueueCriteriaClause, r, FIXED_ORDER.workQueueLegacy, r, select);

/** Workers of one pool, most recent heartbeat first. */
export function workerListQuery(
  workPoolId: string,
  r: ListRequest<WorkerCriteria>,
  select?: string,
): SqlFragment {
  const compile: Compile<WorkerCriteria> = (c, p) => {
    const inPool = `worker.work_pool_id = ${p.add(workPoolId, 'uuid')}`;
    const rest = workerCriteriaClause(c, p);
    return rest === null ? inPool : `${inPool} AND ${rest}`;
  };
  return list('worker', compile, r, FIXED_ORDER.worker, r, select);
}

export const blockDocumentListQuery = (
  r: ListRequest<BlockDocumentCriteria, BlockDocumentSort>,
  select?: string,
): SqlFragment =>
  list('block_document', blockDocumentCriteriaClause, r, BLOCK_DOCUMENT_ORDER[r.sort], r, select);
export const blockDocumentCountQuery = (c: BlockDocumentCriteria): SqlFragment =>
  count('block_document', blockDocumentCriteriaClause, c);

export const blockTypeListQuery = (r: ListRequest<BlockTypeCriteria>, select?: string): SqlFragment =>
  list('block_type', blockTypeCriteriaClause, r, FIXED_ORDER.blockType, r, select);

export const blockSchemaListQuery = (r: ListRequest<BlockSchemaCriteria>, select?: string): SqlFragment =>
  list('block_schema', blockSchemaCriteriaClause, r, FIXED_ORDER.blockSchema, r, select);

export const automationListQuery = (
  r: ListRequest<AutomationCriteria, AutomationSort>,
  select?: string,
): SqlFragment => list('automation', automationCriteriaClause, r, AUTOMATION_ORDER[r.sort], r, select);
export const automationCountQuery = (c: AutomationCriteria): SqlFragment =>
  count('automation', automationCriteriaClause, c);
