import type {
  ArtifactSort,
  AutomationSort,
  BlockDocumentSort,
  DeploymentSort,
  FlowRunSort,
  FlowSort,
  LogSort,
  TaskRunSort,
  VariableSort,
} from '@orrery/domain';

/*
 * Sort enums → ORDER BY (spec §1.6). Each order ends in the primary key so pages are stable when
 * the sort key ties; PostgreSQL reads the named index in order and settles ties with an
 * incremental sort. NULLs follow PostgreSQL's defaults (last ascending, first descending), which
 * is both Prefect's behaviour and the order the indexes store.
 */

export const FLOW_RUN_ORDER: Readonly<Record<FlowRunSort, string>> = {
  ID_DESC: 'flow_run.id DESC', // pk_flow_run, backwards
  START_TIME_ASC: 'COALESCE(flow_run.start_time, flow_run.expected_start_time) ASC, flow_run.id ASC', // ix_flow_run__coalesce_start_expected_desc_id, backwards
  START_TIME_DESC: 'COALESCE(flow_run.start_time, flow_run.expected_start_time) DESC, flow_run.id DESC', // ix_flow_run__coalesce_start_expected_desc_id
  EXPECTED_START_TIME_ASC: 'flow_run.expected_start_time ASC, flow_run.id ASC', // ix_flow_run__expected_start_time_desc_id, backwards
  EXPECTED_START_TIME_DESC: 'flow_run.expected_start_time DESC, flow_run.id DESC', // ix_flow_run__expected_start_time_desc_id
  NAME_ASC: 'flow_run.name ASC, flow_run.id ASC', // ix_flow_run__name
  NAME_DESC: 'flow_run.name DESC, flow_run.id DESC', // ix_flow_run__name, backwards
  NEXT_SCHEDULED_START_TIME_ASC: 'flow_run.next_scheduled_start_time ASC, flow_run.id ASC', // ix_flow_run__next_scheduled_start_time_asc
  END_TIME_DESC: 'flow_run.end_time DESC, flow_run.id DESC', // ix_flow_run__end_time_desc
};

export const TASK_RUN_ORDER: Readonly<Record<TaskRunSort, string>> = {
  ID_DESC: 'task_run.id DESC', // pk_task_run, backwards
  EXPECTED_START_TIME_ASC: 'task_run.expected_start_time ASC, task_run.id ASC', // ix_task_run__expected_start_time_desc_id, backwards
  EXPECTED_START_TIME_DESC: 'task_run.expected_start_time DESC, task_run.id DESC', // ix_task_run__expected_start_time_desc_id
  NAME_ASC: 'task_run.name ASC, task_run.id ASC', // ix_task_run__name
  NAME_DESC: 'task_run.name DESC, task_run.id DESC', // ix_task_run__name, backwards
  NEXT_SCHEDULED_START_TIME_ASC: 'task_run.next_scheduled_start_time ASC, task_run.id ASC', // ix_task_run__next_scheduled_start_time_asc
  END_TIME_DESC: 'task_run.end_time DESC, task_run.id DESC', // ix_task_run__end_time_desc
};

export const FLOW_ORDER: Readonly<Record<FlowSort, string>> = {
  CREATED_DESC: 'flow.created DESC, flow.id DESC', // ix_flow__created
  UPDATED_DESC: 'flow.updated DESC, flow.id DESC', // ix_flow__updated
  NAME_ASC: 'flow.name ASC', // uq_flow__name (unique: no tiebreak needed)
  NAME_DESC: 'flow.name DESC',
};

export const DEPLOYMENT_ORDER: Readonly<Record<DeploymentSort, string>> = {
  CREATED_DESC: 'deployment.created DESC, deployment.id DESC', // ix_deployment__created
  UPDATED_DESC: 'deployment.updated DESC, deployment.id DESC', // ix_deployment__updated
  NAME_ASC: 'deployment.name ASC, deployment.id ASC',
  NAME_DESC: 'deployment.name DESC, deployment.id DESC',
};

export const LOG_ORDER: Readonly<Record<LogSort, string>> = {
  TIMESTAMP_ASC: 'log."timestamp" ASC, log.id ASC', // ix_log__timestamp, ix_log__flow_run_id_timestamp
  TIMESTAMP_DESC: 'log."timestamp" DESC, log.id DESC',
};

/** For `artifact` and `artifact_collection` (ArtifactSort and ArtifactCollectionSort share values). */
export function artifactOrder(table: 'artifact' | 'artifact_collection', sort: ArtifactSort): string {
  switch (sort) {
    case 'CREATED_DESC':
      return `${table}.created DESC, ${table}.id DESC`; // ix_artifact__created_id, backwards (artifact)
    case 'UPDATED_DESC':
      return `${table}.updated DESC, ${table}.id DESC`; // ix_artifact__updated / ix_artifact_collection__updated
    case 'ID_DESC':
      return `${table}.id DESC`;
    case 'KEY_DESC':
      return `${table}.key DESC, ${table}.id DESC`; // ix_artifact__key
    case 'KEY_ASC':
      return `${table}.key ASC, ${table}.id ASC`;
  }
}

export const VARIABLE_ORDER: Readonly<Record<VariableSort, string>> = {
  CREATED_DESC: 'variable.created DESC, variable.id DESC',
  UPDATED_DESC: 'variable.updated DESC, variable.id DESC', // ix_variable__updated
  NAME_DESC: 'variable.name DESC', // uq_variable__name
  NAME_ASC: 'variable.name ASC',
};

export const BLOCK_DOCUMENT_ORDER: Readonly<Record<BlockDocumentSort, string>> = {
  NAME_DESC: 'block_document.name DESC, block_document.id DESC', // ix_block_document__name
  NAME_ASC: 'block_document.name ASC, block_document.id ASC',
  BLOCK_TYPE_AND_NAME_ASC:
    'block_document.block_type_name ASC, block_document.name ASC, block_document.id ASC', // ix_block_document__block_type_name__name
};

export const AUTOMATION_ORDER: Readonly<Record<AutomationSort, string>> = {
  CREATED_DESC: 'automation.created DESC, automation.id DESC',
  UPDATED_DESC: 'automation.updated DESC, automation.id DESC', // ix_automation__updated
  NAME_ASC: 'automation.name ASC, automation.id ASC',
  NAME_DESC: 'automation.name DESC, automation.id DESC',
};

/** Fixed orders of the endpoints without a `sort` key (spec §1.6, "Other fixed orders"). */
export const FIXED_ORDER = {
  workPool: 'work_pool.name ASC', // uq_work_pool__name
  workQueueInPool: 'work_queue.priority ASC, work_queue.name ASC', // ix_work_queue__work_pool_id_priority
  workQueueLegacy: 'work_queue.name ASC, work_queue.id ASC',
  worker: 'worker.last_heartbeat_time DESC, worker.id DESC', // ix_worker__work_pool_id_last_heartbeat_time
  blockType: 'block_type.name ASC, block_type.id ASC',
  blockSchema: 'block_schema.created DESC, block_schema.id DESC', // ix_block_schema__created
} as const;
