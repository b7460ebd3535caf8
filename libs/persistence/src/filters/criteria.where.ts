import type {
  ArtifactCollectionCriteria,
  ArtifactCriteria,
  AutomationCriteria,
  BlockDocumentCriteria,
  BlockSchemaCriteria,
  BlockTypeCriteria,
  DeploymentCriteria,
  FlowCriteria,
  FlowRunCriteria,
  LogCriteria,
  TaskRunCriteria,
  VariableCriteria,
  WorkerCriteria,
  WorkPoolCriteria,
  WorkQueueCriteria,
} from '@orrery/domain';
import { artifactCollectionFilterClause, artifactFilterClause } from './artifact.where';
import { blockDocumentFilterClause, blockSchemaFilterClause, blockTypeFilterClause } from './block.where';
import { deploymentFilterClause } from './deployment.where';
import { flowRunFilterClause } from './flow-run.where';
import { flowFilterClause } from './flow.where';
import { logFilterClause } from './log.where';
import { anyOf, type Clause, combine, exists } from './sql-clause';
import type { SqlParameters } from './sql-parameters';
import { taskRunFilterClause } from './task-run.where';
import { automationFilterClause, variableFilterClause } from './variable.where';
import { workerFilterClause, workPoolFilterClause, workQueueFilterClause } from './work-pool.where';

/*
 * Cross-object filtering (spec §1.5, last paragraph): the endpoint's own filter applies to its
 * table; every other filter key that is present — even as `{}` — adds an EXISTS sub-query on the
 * related table, correlated through the foreign key. Sub-queries name the related table by its own
 * name, so the per-table compilers work unchanged inside them; a table that appears twice gets an
 * alias. The correlations are served by: ix_flow_run__flow_id, ix_flow_run__deployment_id,
 * ix_flow_run__work_queue_id, ix_task_run__flow_run_id, ix_deployment__flow_id,
 * ix_deployment__work_queue_id and the primary keys.
 */

/** Where-clause of a flow-run query (`FROM flow_run`). */
export function flowRunCriteriaClause(c: FlowRunCriteria, p: SqlParameters): Clause {
  const parts: Clause[] = [];
  if (c.flow_runs != null) parts.push(flowRunFilterClause(c.flow_runs, p));
  if (c.deployments != null) {
    parts.push(
      exists(
        'deployment',
        'deployment.id = flow_run.deployment_id',
        deploymentFilterClause(c.deployments, p),
      ),
    );
  }
  if (c.work_pools != null) {
    parts.push(
      exists(
        'work_queue run_queue JOIN work_pool ON work_pool.id = run_queue.work_pool_id',
        'run_queue.id = flow_run.work_queue_id',
        workPoolFilterClause(c.work_pools, p),
      ),
    );
  }
  if (c.work_pool_queues != null) {
    parts.push(
      exists(
        'work_queue',
        'work_queue.id = flow_run.work_queue_id',
        workQueueFilterClause(c.work_pool_queues, p),
      ),
    );
  }
  if (c.flows != null) parts.push(exists('flow', 'flow.id = flow_run.flow_id', flowFilterClause(c.flows, p)));
  if (c.task_runs != null) {
    parts.push(exists('task_run', 'task_run.flow_run_id = flow_run.id', taskRunFilterClause(c.task_runs, p)));
  }
  return combine('and_', parts);
}

/** Where-clause of a task-run query (`FROM task_run`). */
export function taskRunCriteriaClause(c: TaskRunCriteria, p: SqlParameters): Clause {
  const parts: Clause[] = [];
  if (c.task_runs != null) parts.push(taskRunFilterClause(c.task_runs, p));
  const others =
    c.flows != null || c.deployments != null || c.work_pools != null || c.work_pool_queues != null;
  const ids = c.flow_runs?.id?.any_;
  if (!others && c.flow_runs != null && onlyFiltersOnIds(c.flow_runs) && ids != null && ids.length > 0) {
    // "Task runs of these flow runs", the UI's commonest call: no sub-query (ix_task_run__flow_run_id).
    parts.push(anyOf(p, 'task_run.flow_run_id', ids, 'uuid'));
  } else if (others || c.flow_runs != null) {
    const runCriteria = flowRunCriteriaClause({ ...c, task_runs: undefined }, p);
    parts.push(exists('flow_run', 'flow_run.id = task_run.flow_run_id', runCriteria));
  }
  return combine('and_', parts);
}

function onlyFiltersOnIds(f: NonNullable<FlowRunCriteria['flow_runs']>): boolean {
  const { operator: _operator, id, ...rest } = f;
  return (
    id != null &&
    (id.not_any_ == null || id.not_any_.length === 0) &&
    Object.values(rest).every((v) => v == null)
  );
}

/** Where-clause of a deployment query (`FROM deployment`). */
export function deploymentCriteriaClause(c: DeploymentCriteria, p: SqlParameters): Clause {
  const parts: Clause[] = [];
  if (c.deployments != null) parts.push(deploymentFilterClause(c.deployments, p));
  if (c.flows != null)
    parts.push(exists('flow', 'flow.id = deployment.flow_id', flowFilterClause(c.flows, p)));
  if (c.flow_runs != null || c.task_runs != null) {
    // One flow run of the deployment must match flow_runs and own a task run matching task_runs.
    const runCriteria = flowRunCriteriaClause({ flow_runs: c.flow_runs, task_runs: c.task_runs }, p);
    parts.push(exists('flow_run', 'flow_run.deployment_id = deployment.id', runCriteria));
  }
  if (c.work_pools != null || c.work_pool_queues != null) {
    const queue: Clause[] = [];
    if (c.work_pool_queues != null) queue.push(workQueueFilterClause(c.work_pool_queues, p));
    if (c.work_pools != null) {
      queue.push(
        exists('work_pool', 'work_pool.id = work_queue.work_pool_id', workPoolFilterClause(c.work_pools, p)),
      );
    }
    parts.push(exists('work_queue', 'work_queue.id = deployment.work_queue_id', combine('and_', queue)));
  }
  return combine('and_', parts);
}

/** Where-clause of a flow query (`FROM flow`). */
export function flowCriteriaClause(c: FlowCriteria, p: SqlParameters): Clause {
  const parts: Clause[] = [];
  if (c.flows != null) parts.push(flowFilterClause(c.flows, p));
  if (c.deployments != null || c.work_pools != null) {
    const deploymentCriteria = deploymentCriteriaClause(
      { deployments: c.deployments, work_pools: c.work_pools },
      p,
    );
    parts.push(exists('deployment', 'deployment.flow_id = flow.id', deploymentCriteria));
  }
  if (c.flow_runs != null || c.task_runs != null) {
    const runCriteria = flowRunCriteriaClause({ flow_runs: c.flow_runs, task_runs: c.task_runs }, p);
    parts.push(exists('flow_run', 'flow_run.flow_id = flow.id', runCriteria));
  }
  return combine('and_', parts);
}

/** Where-clause of an artifact query (`FROM artifact`). */
export function artifactCriteriaClause(c: ArtifactCriteria, p: SqlParameters): Clause {
  const parts: Clause[] = [];
  if (c.artifacts != null) parts.push(artifactFilterClause(c.artifacts, p));
  parts.push(...artifactRunClauses('artifact', c, p));
  return combine('and_', parts);
}

/** Where-clause of a latest-artifact query (`FROM artifact_collection`). */
export function artifactCollectionCriteriaClause(c: ArtifactCollectionCriteria, p: SqlParameters): Clause {
  const parts: Clause[] = [];
  if (c.artifacts != null) parts.push(artifactCollectionFilterClause(c.artifacts, p));
  parts.push(...artifactRunClauses('artifact_collection', c, p));
  return combine('and_', parts);
}

function artifactRunClauses(
  table: string,
  c: ArtifactCriteria | ArtifactCollectionCriteria,
  p: SqlParameters,
): Clause[] {
  const parts: Clause[] = [];
  if (c.flows != null || c.flow_runs != null || c.deployments != null) {
    const runCriteria = flowRunCriteriaClause(
      { flows: c.flows, flow_runs: c.flow_runs, deployments: c.deployments },
      p,
    );
    parts.push(exists('flow_run', `flow_run.id = ${table}.flow_run_id`, runCriteria));
  }
  if (c.task_runs != null) {
    parts.push(exists('task_run', `task_run.id = ${table}.task_run_id`, taskRunFilterClause(c.task_runs, p)));
  }
  return parts;
}

/** Where-clause of a block-document query (`FROM block_document`): anonymous documents hidden by default. */
export function blockDocumentCriteriaClause(c: BlockDocumentCriteria, p: SqlParameters): Clause {
  const parts: Clause[] = [blockDocumentFilterClause(c.block_documents ?? {}, p)];
  if (c.block_types != null) {
    parts.push(
      exists(
        'block_type',
        'block_type.id = block_document.block_type_id',
        blockTypeFilterClause(c.block_types, p),
      ),
    );
  }
  if (c.block_schemas != null) {
    parts.push(
      exists(
        'block_schema',
        'block_schema.id = block_document.block_schema_id',
        blockSchemaFilterClause(c.block_schemas, p),
      ),
    );
  }
  return combine('and_', parts);
}

/** Where-clause of a block-type query (`FROM block_type`). */
export function blockTypeCriteriaClause(c: BlockTypeCriteria, p: SqlParameters): Clause {
  const parts: Clause[] = [];
  if (c.block_types != null) parts.push(blockTypeFilterClause(c.block_types, p));
  if (c.block_schemas != null) {
    // ix_block_schema__block_type_id
    parts.push(
      exists(
        'block_schema',
        'block_schema.block_type_id = block_type.id',
        blockSchemaFilterClause(c.block_schemas, p),
      ),
    );
  }
  return combine('and_', parts);
}

export function blockSchemaCriteriaClause(c: BlockSchemaCriteria, p: SqlParameters): Clause {
  return c.block_schemas != null ? blockSchemaFilterClause(c.block_schemas, p) : null;
}

export function logCriteriaClause(c: LogCriteria, p: SqlParameters): Clause {
  return c.logs != null ? logFilterClause(c.logs, p) : null;
}

export function variableCriteriaClause(c: VariableCriteria, p: SqlParameters): Clause {
  return c.variables != null ? variableFilterClause(c.variables, p) : null;
}

export function workPoolCriteriaClause(c: WorkPoolCriteria, p: SqlParameters): Clause {
  return c.work_pools != null ? workPoolFilterClause(c.work_pools, p) : null;
}

export function workQueueCriteriaClause(c: WorkQueueCriteria, p: SqlParameters): Clause {
  return c.work_queues != null ? workQueueFilterClause(c.work_queues, p) : null;
}

export function workerCriteriaClause(c: WorkerCriteria, p: SqlParameters): Clause {
  return c.workers != null ? workerFilterClause(c.workers, p) : null;
}

export function automationCriteriaClause(c: AutomationCriteria, p: SqlParameters): Clause {
  return c.automations != null ? automationFilterClause(c.automations, p) : null;
}
