import type {
  DeploymentFilter,
  DeploymentFilterConcurrencyLimit,
  DeploymentFilterId,
  DeploymentFilterName,
  DeploymentFilterPaused,
  DeploymentFilterTags,
  DeploymentFilterWorkQueueName,
  DeploymentOrFlowNameFilter,
  FilterOperator,
} from '@orrery/domain';
import {
  Nested,
  Operator,
  OptionalBoolean,
  OptionalInt,
  OptionalString,
  StringList,
  UuidList,
} from './filter-field.decorators';

class DeploymentFilterIdDto implements DeploymentFilterId {
  @UuidList() any_?: string[] | null;
  @UuidList() not_any_?: string[] | null;
}

class DeploymentFilterNameDto implements DeploymentFilterName {
  @StringList() any_?: string[] | null;
  @OptionalString() like_?: string | null;
}

class DeploymentOrFlowNameFilterDto implements DeploymentOrFlowNameFilter {
  @OptionalString() like_?: string | null;
}

class DeploymentFilterPausedDto implements DeploymentFilterPaused {
  @OptionalBoolean() eq_?: boolean | null;
}

class DeploymentFilterTagsDto implements DeploymentFilterTags {
  @Operator() operator?: FilterOperator | null;
  @StringList() all_?: string[] | null;
  @StringList() any_?: string[] | null;
  @OptionalBoolean() is_null_?: boolean | null;
}

class DeploymentFilterWorkQueueNameDto implements DeploymentFilterWorkQueueName {
  @StringList() any_?: string[] | null;
}

class DeploymentFilterConcurrencyLimitDto implements DeploymentFilterConcurrencyLimit {
  @OptionalInt() ge_?: number | null;
  @OptionalInt() le_?: number | null;
  @OptionalBoolean() is_null_?: boolean | null;
}

/** `DeploymentFilter` (extra keys forbidden at every level). */
export class DeploymentFilterDto implements DeploymentFilter {
  @Operator() operator?: FilterOperator | null;
  @Nested(() => DeploymentFilterIdDto) id?: DeploymentFilterIdDto | null;
  @Nested(() => DeploymentFilterNameDto) name?: DeploymentFilterNameDto | null;
  @Nested(() => DeploymentOrFlowNameFilterDto) flow_or_deployment_name?: DeploymentOrFlowNameFilterDto | null;
  @Nested(() => DeploymentFilterPausedDto) paused?: DeploymentFilterPausedDto | null;
  @Nested(() => DeploymentFilterTagsDto) tags?: DeploymentFilterTagsDto | null;
  @Nested(() => DeploymentFilterWorkQueueNameDto) work_queue_name?: DeploymentFilterWorkQueueNameDto | null;
  @Nested(() => DeploymentFilterConcurrencyLimitDto)
  concurrency_limit?: DeploymentFilterConcurrencyLimitDto | null;
}
