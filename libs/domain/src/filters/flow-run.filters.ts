import type { Instant } from '../instant';
import type { StateType } from '../state-type';
import type { OperatorFilter } from './filter-criteria';

/** `FlowRunFilter` (body key `flow_runs`). */
export interface FlowRunFilter extends OperatorFilter {
  id?: FlowRunFilterId | null;
  name?: FlowRunFilterName | null;
  tags?: FlowRunFilterTags | null;
  deployment_id?: FlowRunFilterDeploymentId | null;
  work_queue_name?: FlowRunFilterWorkQueueName | null;
  state?: FlowRunFilterState | null;
  flow_version?: FlowRunFilterFlowVersion | null;
  start_time?: FlowRunFilterStartTime | null;
  end_time?: FlowRunFilterEndTime | null;
  expected_start_time?: FlowRunFilterExpectedStartTime | null;
  next_scheduled_start_time?: FlowRunFilterNextScheduledStartTime | null;
  parent_flow_run_id?: FlowRunFilterParentFlowRunId | null;
  parent_task_run_id?: FlowRunFilterParentTaskRunId | null;
  idempotency_key?: FlowRunFilterIdempotencyKey | null;
  created_by?: FlowRunFilterCreatedBy | null;
}

export interface FlowRunFilterId {
  any_?: string[] | null;
  not_any_?: string[] | null;
}

export interface FlowRunFilterName {
  any_?: string[] | null;
  like_?: string | null;
}

export interface FlowRunFilterTags extends OperatorFilter {
  all_?: string[] | null;
  any_?: string[] | null;
  is_null_?: boolean | null;
}

export interface FlowRunFilterDeploymentId extends OperatorFilter {
  any_?: string[] | null;
  is_null_?: boolean | null;
}

export interface FlowRunFilterWorkQueueName extends OperatorFilter {
  any_?: string[] | null;
  is_null_?: boolean | null;
}

export interface FlowRunFilterState extends OperatorFilter {
  type?: FlowRunFilterStateType | null;
  name?: FlowRunFilterStateName | null;
}

export interface FlowRunFilterStateType {
  any_?: StateType[] | null;
  not_any_?: StateType[] | null;
}

export interface FlowRunFilterStateName {
  any_?: string[] | null;
  not_any_?: string[] | null;
}

export interface FlowRunFilterFlowVersion {
  any_?: string[] | null;
}

/** `before_`/`after_` compare `coalesce(start_time, expected_start_time)`; `is_null_` the raw column. */
export interface FlowRunFilterStartTime {
  before_?: Instant | null;
  after_?: Instant | null;
  is_null_?: boolean | null;
}

export interface FlowRunFilterEndTime {
  before_?: Instant | null;
  after_?: Instant | null;
  is_null_?: boolean | null;
}

export interface FlowRunFilterExpectedStartTime {
  before_?: Instant | null;
  after_?: Instant | null;
}

export interface FlowRunFilterNextScheduledStartTime {
  before_?: Instant | null;
  after_?: Instant | null;
}

/** Subflows of the given flow runs: runs whose parent task run belongs to one of them. */
export interface FlowRunFilterParentFlowRunId extends OperatorFilter {
  any_?: string[] | null;
}

export interface FlowRunFilterParentTaskRunId extends OperatorFilter {
  any_?: string[] | null;
  is_null_?: boolean | null;
}

export interface FlowRunFilterIdempotencyKey {
  any_?: string[] | null;
  not_any_?: string[] | null;
}

/** On the `created_by` JSON: `id_` matches `created_by->>'id'`, `type_` matches `created_by->>'type'`. */
export interface FlowRunFilterCreatedBy extends OperatorFilter {
  id_?: string[] | null;
  type_?: string[] | null;
  is_null_?: boolean | null;
}
