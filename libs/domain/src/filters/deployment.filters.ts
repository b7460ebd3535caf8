import type { OperatorFilter } from './filter-criteria';

/** `DeploymentFilter` (body key `deployments`). */
export interface DeploymentFilter extends OperatorFilter {
  id?: DeploymentFilterId | null;
  name?: DeploymentFilterName | null;
  flow_or_deployment_name?: DeploymentOrFlowNameFilter | null;
  paused?: DeploymentFilterPaused | null;
  tags?: DeploymentFilterTags | null;
  work_queue_name?: DeploymentFilterWorkQueueName | null;
  /** Deprecated in Prefect and ignored there (the legacy column is unused); accepted, never applied. */
  concurrency_limit?: DeploymentFilterConcurrencyLimit | null;
}

export interface DeploymentFilterId {
  any_?: string[] | null;
  not_any_?: string[] | null;
}

export interface DeploymentFilterName {
  any_?: string[] | null;
  like_?: string | null;
}

/** Substring of the deployment's name or of its flow's name. */
export interface DeploymentOrFlowNameFilter {
  like_?: string | null;
}

export interface DeploymentFilterPaused {
  eq_?: boolean | null;
}

export interface DeploymentFilterTags extends OperatorFilter {
  all_?: string[] | null;
  any_?: string[] | null;
  is_null_?: boolean | null;
}

export interface DeploymentFilterWorkQueueName {
  any_?: string[] | null;
}

export interface DeploymentFilterConcurrencyLimit {
  ge_?: number | null;
  le_?: number | null;
  is_null_?: boolean | null;
}
