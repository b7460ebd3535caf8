/**
 * Sort enums (body key `sort`, spec-api-orchestration §1.6): the accepted values and the default
 * each list endpoint applies when `sort` is absent.
 */

export const FLOW_RUN_SORTS = [
  'ID_DESC',
  'START_TIME_ASC',
  'START_TIME_DESC',
  'EXPECTED_START_TIME_ASC',
  'EXPECTED_START_TIME_DESC',
  'NAME_ASC',
  'NAME_DESC',
  'NEXT_SCHEDULED_START_TIME_ASC',
  'END_TIME_DESC',
] as const;
export type FlowRunSort = (typeof FLOW_RUN_SORTS)[number];
export const DEFAULT_FLOW_RUN_SORT: FlowRunSort = 'ID_DESC';

export const TASK_RUN_SORTS = [
  'ID_DESC',
  'EXPECTED_START_TIME_ASC',
  'EXPECTED_START_TIME_DESC',
  'NAME_ASC',
  'NAME_DESC',
  'NEXT_SCHEDULED_START_TIME_ASC',
  'END_TIME_DESC',
] as const;
export type TaskRunSort = (typeof TASK_RUN_SORTS)[number];
export const DEFAULT_TASK_RUN_SORT: TaskRunSort = 'ID_DESC';

export const FLOW_SORTS = ['CREATED_DESC', 'UPDATED_DESC', 'NAME_ASC', 'NAME_DESC'] as const;
export type FlowSort = (typeof FLOW_SORTS)[number];
export const DEFAULT_FLOW_SORT: FlowSort = 'NAME_ASC';

export const DEPLOYMENT_SORTS = ['CREATED_DESC', 'UPDATED_DESC', 'NAME_ASC', 'NAME_DESC'] as const;
export type DeploymentSort = (typeof DEPLOYMENT_SORTS)[number];
export const DEFAULT_DEPLOYMENT_SORT: DeploymentSort = 'NAME_ASC';

export const LOG_SORTS = ['TIMESTAMP_ASC', 'TIMESTAMP_DESC'] as const;
export type LogSort = (typeof LOG_SORTS)[number];
export const DEFAULT_LOG_SORT: LogSort = 'TIMESTAMP_ASC';

export const ARTIFACT_SORTS = ['CREATED_DESC', 'UPDATED_DESC', 'ID_DESC', 'KEY_DESC', 'KEY_ASC'] as const;
export type ArtifactSort = (typeof ARTIFACT_SORTS)[number];
export const DEFAULT_ARTIFACT_SORT: ArtifactSort = 'ID_DESC';

export const ARTIFACT_COLLECTION_SORTS = ARTIFACT_SORTS;
export type ArtifactCollectionSort = ArtifactSort;
export const DEFAULT_ARTIFACT_COLLECTION_SORT: ArtifactCollectionSort = 'ID_DESC';

export const VARIABLE_SORTS = ['CREATED_DESC', 'UPDATED_DESC', 'NAME_DESC', 'NAME_ASC'] as const;
export type VariableSort = (typeof VARIABLE_SORTS)[number];
export const DEFAULT_VARIABLE_SORT: VariableSort = 'NAME_ASC';

export const BLOCK_DOCUMENT_SORTS = ['NAME_DESC', 'NAME_ASC', 'BLOCK_TYPE_AND_NAME_ASC'] as const;
export type BlockDocumentSort = (typeof BLOCK_DOCUMENT_SORTS)[number];
export const DEFAULT_BLOCK_DOCUMENT_SORT: BlockDocumentSort = 'NAME_ASC';

export const AUTOMATION_SORTS = ['CREATED_DESC', 'UPDATED_DESC', 'NAME_ASC', 'NAME_DESC'] as const;
export type AutomationSort = (typeof AUTOMATION_SORTS)[number];
export const DEFAULT_AUTOMATION_SORT: AutomationSort = 'NAME_ASC';
