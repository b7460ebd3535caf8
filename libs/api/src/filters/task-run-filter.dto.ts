import {
  type FilterOperator,
  type Instant,
  STATE_TYPES,
  type StateType,
  type TaskRunFilter,
  type TaskRunFilterEndTime,
  type TaskRunFilterExpectedStartTime,
  type TaskRunFilterFlowRunId,
  type TaskRunFilterId,
  type TaskRunFilterName,
  type TaskRunFilterStartTime,
  type TaskRunFilterState,
  type TaskRunFilterStateName,
  type TaskRunFilterStateType,
  type TaskRunFilterSubFlowRuns,
  type TaskRunFilterTags,
} from '@orrery/domain';
import {
  EnumList,
  InstantField,
  Nested,
  Operator,
  OptionalBoolean,
  OptionalString,
  StringList,
  UuidList,
} from './filter-field.decorators';

class TaskRunFilterIdDto implements TaskRunFilterId {
  @UuidList() any_?: string[] | null;
}

class TaskRunFilterNameDto implements TaskRunFilterName {
  @StringList() any_?: string[] | null;
  @OptionalString() like_?: string | null;
}

class TaskRunFilterTagsDto implements TaskRunFilterTags {
  @Operator() operator?: FilterOperator | null;
  @StringList() all_?: string[] | null;
  @OptionalBoolean() is_null_?: boolean | null;
}

class TaskRunFilterStateTypeDto implements TaskRunFilterStateType {
  @EnumList(STATE_TYPES) any_?: StateType[] | null;
}

class TaskRunFilterStateNameDto implements TaskRunFilterStateName {
  @StringList() any_?: string[] | null;
}

class TaskRunFilterStateDto implements TaskRunFilterState {
  @Operator() operator?: FilterOperator | null;
  @Nested(() => TaskRunFilterStateTypeDto) type?: TaskRunFilterStateTypeDto | null;
  @Nested(() => TaskRunFilterStateNameDto) name?: TaskRunFilterStateNameDto | null;
}

class TaskRunFilterStartTimeDto implements TaskRunFilterStartTime {
  @InstantField() before_?: Instant | null;
  @InstantField() after_?: Instant | null;
  @OptionalBoolean() is_null_?: boolean | null;
}

class TaskRunFilterEndTimeDto implements TaskRunFilterEndTime {
  @InstantField() before_?: Instant | null;
  @InstantField() after_?: Instant | null;
  @OptionalBoolean() is_null_?: boolean | null;
}

class TaskRunFilterExpectedStartTimeDto implements TaskRunFilterExpectedStartTime {
  @InstantField() before_?: Instant | null;
  @InstantField() after_?: Instant | null;
}

class TaskRunFilterSubFlowRunsDto implements TaskRunFilterSubFlowRuns {
  @OptionalBoolean() exists_?: boolean | null;
}

class TaskRunFilterFlowRunIdDto implements TaskRunFilterFlowRunId {
  @Operator() operator?: FilterOperator | null;
  @UuidList() any_?: string[] | null;
  @OptionalBoolean() is_null_?: boolean | null;
}

/** `TaskRunFilter` (extra keys forbidden at every level). */
export class TaskRunFilterDto implements TaskRunFilter {
  @Operator() operator?: FilterOperator | null;
  @Nested(() => TaskRunFilterIdDto) id?: TaskRunFilterIdDto | null;
  @Nested(() => TaskRunFilterNameDto) name?: TaskRunFilterNameDto | null;
  @Nested(() => TaskRunFilterTagsDto) tags?: TaskRunFilterTagsDto | null;
  @Nested(() => TaskRunFilterStateDto) state?: TaskRunFilterStateDto | null;
  @Nested(() => TaskRunFilterStartTimeDto) start_time?: TaskRunFilterStartTimeDto | null;
  @Nested(() => TaskRunFilterEndTimeDto) end_time?: TaskRunFilterEndTimeDto | null;
  @Nested(() => TaskRunFilterExpectedStartTimeDto)
  expected_start_time?: TaskRunFilterExpectedStartTimeDto | null;
  @Nested(() => TaskRunFilterSubFlowRunsDto) subflow_runs?: TaskRunFilterSubFlowRunsDto | null;
  @Nested(() => TaskRunFilterFlowRunIdDto) flow_run_id?: TaskRunFilterFlowRunIdDto | null;
}
