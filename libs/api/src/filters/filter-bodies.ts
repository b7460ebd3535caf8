import {
  ARTIFACT_SORTS,
  type ArtifactCollectionCriteria,
  type ArtifactCollectionSort,
  type ArtifactCriteria,
  type ArtifactSort,
  AUTOMATION_SORTS,
  type AutomationCriteria,
  type AutomationSort,
  BLOCK_DOCUMENT_SORTS,
  type BlockDocumentCriteria,
  type BlockDocumentSort,
  type BlockSchemaCriteria,
  type BlockTypeCriteria,
  DEFAULT_ARTIFACT_COLLECTION_SORT,
  DEFAULT_ARTIFACT_SORT,
  DEFAULT_AUTOMATION_SORT,
  DEFAULT_BLOCK_DOCUMENT_SORT,
  DEFAULT_DEPLOYMENT_SORT,
  DEFAULT_FLOW_RUN_SORT,
  DEFAULT_FLOW_SORT,
  DEFAULT_LOG_SORT,
  DEFAULT_TASK_RUN_SORT,
  DEFAULT_VARIABLE_SORT,
  DEPLOYMENT_SORTS,
  type DeploymentCriteria,
  type DeploymentSort,
  FLOW_RUN_SORTS,
  FLOW_SORTS,
  type FlowCriteria,
  type FlowRunCriteria,
  type FlowRunSort,
  type FlowSort,
  LOG_SORTS,
  type LogCriteria,
  type LogSort,
  TASK_RUN_SORTS,
  type TaskRunCriteria,
  type TaskRunSort,
  VARIABLE_SORTS,
  type VariableCriteria,
  type VariableSort,
  type WorkerCriteria,
  type WorkPoolCriteria,
  type WorkQueueCriteria,
} from '@orrery/domain';
import { ArtifactCollectionFilterDto } from './artifact-collection-filter.dto';
import { ArtifactFilterDto } from './artifact-filter.dto';
import { AutomationFilterDto } from './automation-filter.dto';
import { BlockDocumentFilterDto } from './block-document-filter.dto';
import { BlockSchemaFilterDto } from './block-schema-filter.dto';
import { BlockTypeFilterDto } from './block-type-filter.dto';
import { DeploymentFilterDto } from './deployment-filter.dto';
import { FlowFilterDto } from './flow-filter.dto';
import { FlowRunFilterDto } from './flow-run-filter.dto';
import type { FilterBodySpec, SortedFilterBodySpec } from './list-body.parser';
import { LogFilterDto } from './log-filter.dto';
import { TaskRunFilterDto } from './task-run-filter.dto';
import { VariableFilterDto } from './variable-filter.dto';
import { WorkPoolFilterDto } from './work-pool-filter.dto';
import { WorkQueueFilterDto } from './work-queue-filter.dto';
import { WorkerFilterDto } from './worker-filter.dto';

/*
 * The body of each list/count/paginate endpoint family (spec §7, contract `Body_read_*`): which
 * filter keys it reads and which sort enum it takes. Pass these to parseListBody & co.
 */

export const FLOW_BODY: SortedFilterBodySpec<FlowCriteria, FlowSort> = {
  filters: {
    flows: FlowFilterDto,
    flow_runs: FlowRunFilterDto,
    task_runs: TaskRunFilterDto,
    deployments: DeploymentFilterDto,
    work_pools: WorkPoolFilterDto,
  },
  sort: { values: FLOW_SORTS, default: DEFAULT_FLOW_SORT },
};

export const FLOW_RUN_BODY: SortedFilterBodySpec<FlowRunCriteria, FlowRunSort> = {
  filters: {
    flows: FlowFilterDto,
    flow_runs: FlowRunFilterDto,
    task_runs: TaskRunFilterDto,
    deployments: DeploymentFilterDto,
    work_pools: WorkPoolFilterDto,
    work_pool_queues: WorkQueueFilterDto,
  },
  sort: { values: FLOW_RUN_SORTS, default: DEFAULT_FLOW_RUN_SORT },
};

export const TASK_RUN_BODY: SortedFilterBodySpec<
  Omit<TaskRunCriteria, 'work_pools' | 'work_pool_queues'>,
  TaskRunSort
> = {
  filters: {
    flows: FlowFilterDto,
    flow_runs: FlowRunFilterDto,
    task_runs: TaskRunFilterDto,
    deployments: DeploymentFilterDto,
  },
  sort: { values: TASK_RUN_SORTS, default: DEFAULT_TASK_RUN_SORT },
};

export const DEPLOYMENT_BODY: SortedFilterBodySpec<DeploymentCriteria, DeploymentSort> = {
  filters: {
    flows: FlowFilterDto,
    flow_runs: FlowRunFilterDto,
    task_runs: TaskRunFilterDto,
    deployments: DeploymentFilterDto,
    work_pools: WorkPoolFilterDto,
    work_pool_queues: WorkQueueFilterDto,
  },
  sort: { values: DEPLOYMENT_SORTS, default: DEFAULT_DEPLOYMENT_SORT },
};

export const LOG_BODY: SortedFilterBodySpec<LogCriteria, LogSort> = {
  filters: { logs: LogFilterDto },
  sort: { values: LOG_SORTS, default: DEFAULT_LOG_SORT },
};

export const ARTIFACT_BODY: SortedFilterBodySpec<ArtifactCriteria, ArtifactSort> = {
  filters: {
    artifacts: ArtifactFilterDto,
    flow_runs: FlowRunFilterDto,
    task_runs: TaskRunFilterDto,
    flows: FlowFilterDto,
    deployments: DeploymentFilterDto,
  },
  sort: { values: ARTIFACT_SORTS, default: DEFAULT_ARTIFACT_SORT },
};

export const ARTIFACT_COLLECTION_BODY: SortedFilterBodySpec<
  ArtifactCollectionCriteria,
  ArtifactCollectionSort
> = {
  filters: {
    artifacts: ArtifactCollectionFilterDto,
    flow_runs: FlowRunFilterDto,
    task_runs: TaskRunFilterDto,
    flows: FlowFilterDto,
    deployments: DeploymentFilterDto,
  },
  sort: { values: ARTIFACT_SORTS, default: DEFAULT_ARTIFACT_COLLECTION_SORT },
};

export const VARIABLE_BODY: SortedFilterBodySpec<VariableCriteria, VariableSort> = {
  filters: { variables: VariableFilterDto },
  sort: { values: VARIABLE_SORTS, default: DEFAULT_VARIABLE_SORT },
};

export const BLOCK_DOCUMENT_BODY: SortedFilterBodySpec<BlockDocumentCriteria, BlockDocumentSort> = {
  filters: {
    block_documents: BlockDocumentFilterDto,
    block_types: BlockTypeFilterDto,
    block_schemas: BlockSchemaFilterDto,
  },
  sort: { values: BLOCK_DOCUMENT_SORTS, default: DEFAULT_BLOCK_DOCUMENT_SORT },
};

export const AUTOMATION_BODY: SortedFilterBodySpec<AutomationCriteria, AutomationSort> = {
  filters: { automations: AutomationFilterDto },
  sort: { values: AUTOMATION_SORTS, default: DEFAULT_AUTOMATION_SORT },
};

export const WORK_POOL_BODY: FilterBodySpec<WorkPoolCriteria> = {
  filters: { work_pools: WorkPoolFilterDto },
};

export const WORK_QUEUE_BODY: FilterBodySpec<WorkQueueCriteria> = {
  filters: { work_queues: WorkQueueFilterDto },
};

export const WORKER_BODY: FilterBodySpec<WorkerCriteria> = { filters: { workers: WorkerFilterDto } };

export const BLOCK_TYPE_BODY: FilterBodySpec<BlockTypeCriteria> = {
  filters: { block_types: BlockTypeFilterDto, block_schemas: BlockSchemaFilterDto },
};

export const BLOCK_SCHEMA_BODY: FilterBodySpec<BlockSchemaCriteria> = {
  filters: { block_schemas: BlockSchemaFilterDto },
};
