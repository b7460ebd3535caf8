import {
  type FilterOperator,
  type FlowRunFilter,
  type FlowRunFilterCreatedBy,
  type FlowRunFilterDeploymentId,
  type FlowRunFilterEndTime,
  type FlowRunFilterExpectedStartTime,
  type FlowRunFilterFlowVersion,
  type FlowRunFilterId,
  type FlowRunFilterIdempotencyKey,
  type FlowRunFilterName,
  type FlowRunFilterNextScheduledStartTime,
  type FlowRunFilterParentFlowRunId,
  type FlowRunFilterParentTaskRunId,
  type FlowRunFilterStartTime,
  type FlowRunFilterState,
  type FlowRunFilterStateName,
  type FlowRunFilterStateType,
  type FlowRunFilterTags,
  type FlowRunFilterWorkQueueName,
  type Instant,
  STATE_TYPES,
  type StateType,
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

class FlowRunFilterIdDto implements FlowRunFilterId {
  @UuidList() any_?: string[] | null;
  @UuidList() not_any_?: string[] | null;
}

class FlowRunFilterNameDto implements FlowRunFilterName {
  @StringList() any_?: string[] | null;
  @OptionalString() like_?: string | null;
}

class FlowRunFilterTagsDto implements FlowRunFilterTags {
  @Operator() operator?: FilterOperator | null;
  @StringList() all_?: string[] | null;
  @StringList() any_?: string[] | null;
  @OptionalBoolean() is_null_?: boolean | null;
}

class FlowRunFilterDeploymentIdDto implements FlowRunFilterDeploymentId {
  @Operator() operator?: FilterOperator | null;
  @UuidList() any_?: string[] | null;
  @OptionalBoolean() is_null_?: boolean | null;
}

class FlowRunFilterWorkQueueNameDto implements FlowRunFilterWorkQueueName {
  @Operator() operator?: FilterOperator | null;
  @StringList() any_?: string[] | null;
  @OptionalBoolean() is_null_?: boolean | null;
}

class FlowRunFilterStateTypeDto implements FlowRunFilterStateType {
  @EnumList(STATE_TYPES) any_?: StateType[] | null;
  @EnumList(STATE_TYPES) not_any_?: StateType[] | null;
}

class FlowRunFilterStateNameDto implements FlowRunFilterStateName {
  @StringList() any_?: string[] | null;
  @StringList() not_any_?: string[] | null;
}

class FlowRunFilterStateDto implements FlowRunFilterState {
  @Operator() operator?: FilterOperator | null;
  @Nested(() => FlowRunFilterStateTypeDto) type?: FlowRunFilterStateTypeDto | null;
  @Nested(() => FlowRunFilterStateNameDto) name?: FlowRunFilterStateNameDto | null;
}

class FlowRunFilterFlowVersionDto implements FlowRunFilterFlowVersion {
  @StringList() any_?: string[] | null;
}

class FlowRunFilterStartTimeDto implements FlowRunFilterStartTime {
  @InstantField() before_?: Instant | null;
  @InstantField() after_?: Instant | null;
  @OptionalBoolean() is_null_?: boolean | null;
}

class FlowRunFilterEndTimeDto implements FlowRunFilterEndTime {
  @InstantField() before_?: Instant | null;
  @InstantField() after_?: Instant | null;
  @OptionalBoolean() is_null_?: boolean | null;
}

class FlowRunFilterExpectedStartTimeDto implements FlowRunFilterExpectedStartTime {
  @InstantField() before_?: Instant | null;
  @InstantField() after_?: Instant | null;
}

class FlowRunFilterNextScheduledStartTimeDto implements FlowRunFilterNextScheduledStartTime {
  @InstantField() before_?: Instant | null;
  @InstantField() after_?: Instant | null;
}

class FlowRunFilterParentFlowRunIdDto implements FlowRunFilterParentFlowRunId {
  @Operator() operator?: FilterOperator | null;
  @UuidList() any_?: string[] | null;
}

class FlowRunFilterParentTaskRunIdDto implements FlowRunFilterParentTaskRunId {
  @Operator() operator?: FilterOperator | null;
  @UuidList() any_?: string[] | null;
  @OptionalBoolean() is_null_?: boolean | null;
}

class FlowRunFilterIdempotencyKeyDto implements FlowRunFilterIdempotencyKey {
  @StringList() any_?: string[] | null;
  @StringList() not_any_?: string[] | null;
}

class FlowRunFilterCreatedByDto implements FlowRunFilterCreatedBy {
  @Operator() operator?: FilterOperator | null;
  @UuidList() id_?: string[] | null;
  @StringList() type_?: string[] | null;
  @OptionalBoolean() is_null_?: boolean | null;
}

/** `FlowRunFilter` (extra keys forbidden at every level). */
export class FlowRunFilterDto implements FlowRunFilter {
  @Operator() operator?: FilterOperator | null;
  @Nested(() => FlowRunFilterIdDto) id?: FlowRunFilterIdDto | null;
  @Nested(() => FlowRunFilterNameDto) name?: FlowRunFilterNameDto | null;
  @Nested(() => FlowRunFilterTagsDto) tags?: FlowRunFilterTagsDto | null;
  @Nested(() => FlowRunFilterDeploymentIdDto) deployment_id?: FlowRunFilterDeploymentIdDto | null;
  @Nested(() => FlowRunFilterWorkQueueNameDto) work_queue_name?: FlowRunFilterWorkQueueNameDto | null;
  @Nested(() => FlowRunFilterStateDto) state?: FlowRunFilterStateDto | null;
  @Nested(() => FlowRunFilterFlowVersionDto) flow_version?: FlowRunFilterFlowVersionDto | null;
  @Nested(() => FlowRunFilterStartTimeDto) start_time?: FlowRunFilterStartTimeDto | null;
  @Nested(() => FlowRunFilterEndTimeDto) end_time?: FlowRunFilterEndTimeDto | null;
  @Nested(() => FlowRunFilterExpectedStartTimeDto)
  expected_start_time?: FlowRunFilterExpectedStartTimeDto | null;
  @Nested(() => FlowRunFilterNextScheduledStartTimeDto)
  next_scheduled_start_time?: FlowRunFilterNextScheduledStartTimeDto | null;
  @Nested(() => FlowRunFilterParentFlowRunIdDto) parent_flow_run_id?: FlowRunFilterParentFlowRunIdDto | null;
  @Nested(() => FlowRunFilterParentTaskRunIdDto) parent_task_run_id?: FlowRunFilterParentTaskRunIdDto | null;
  @Nested(() => FlowRunFilterIdempotencyKeyDto) idempotency_key?: FlowRunFilterIdempotencyKeyDto | null;
  @Nested(() => FlowRunFilterCreatedByDto) created_by?: FlowRunFilterCreatedByDto | null;
}
