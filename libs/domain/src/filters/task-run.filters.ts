import type { Instant } from '../instant';
import type { StateType } from '../state-type';
import type { OperatorFilter } from './filter-criteria';

/** `TaskRunFilter` (body key `task_runs`). */
export interface TaskRunFilter extends OperatorFilter {
  id?: TaskRunFilterId | null;
  name?: TaskRunFilterName | null;
  tags?: TaskRunFilterTags | null;
  state?: TaskRunFilterState | null;
  start_time?: TaskRunFilterStartTime | null;
  end_time?: TaskRunFilterEndTime | null;
  expected_start_time?: TaskRunFilterExpectedStartTime | null;
  subflow_runs?: TaskRunFilterSubFlowRuns | null;
  flow_run_id?: TaskRunFilterFlowRunId | null;
}

export interface TaskRunFilterId {
  any_?: string[] | null;
}

export interface TaskRunFilterName {
  any_?: string[] | null;
  like_?: string | null;
}

export interface TaskRunFilterTags extends OperatorFilter {
  all_?: string[] | null;
  is_null_?: boolean | null;
}

export interface TaskRunFilterState extends OperatorFilter {
  type?: TaskRunFilterStateType | null;
  name?: TaskRunFilterStateName | null;
}

export interface TaskRunFilterStateType {
  any_?: StateType[] | null;
}

export interface TaskRunFilterStateName {
  any_?: string[] | null;
}

export interface TaskRunFilterStartTime {
  before_?: Instant | null;
  after_?: Instant | null;
  is_null_?: boolean | null;
}

export interface TaskRunFilterEndTime {
  before_?: Instant | null;
  after_?: Instant | null;
  is_null_?: boolean | null;
}

export interface TaskRunFilterExpectedStartTime {
  before_?: Instant | null;
  after_?: Instant | null;
}

/** `exists_: true` → task runs that are the parent of a subflow run; `false` → those that are not. */
export interface TaskRunFilterSubFlowRuns {
  exists_?: boolean | null;
}

/**
 * Prefect quirk kept: `is_null_` defaults to `false`, so a `flow_run_id` object without `any_`
 * means "task runs that belong to some flow run".
 */
export interface TaskRunFilterFlowRunId extends OperatorFilter {
  any_?: string[] | null;
  is_null_?: boolean | null;
}
