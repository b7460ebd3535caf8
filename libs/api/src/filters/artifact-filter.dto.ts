import type {
  ArtifactFilter,
  ArtifactFilterFlowRunId,
  ArtifactFilterId,
  ArtifactFilterKey,
  ArtifactFilterTaskRunId,
  ArtifactFilterType,
  FilterOperator,
} from '@orrery/domain';
import {
  Nested,
  Operator,
  OptionalBoolean,
  OptionalString,
  StringList,
  UuidList,
} from './filter-field.decorators';

class ArtifactFilterIdDto implements ArtifactFilterId {
  @UuidList() any_?: string[] | null;
}

class ArtifactFilterKeyDto implements ArtifactFilterKey {
  @StringList() any_?: string[] | null;
  @OptionalString() like_?: string | null;
  @OptionalBoolean() exists_?: boolean | null;
}

class ArtifactFilterFlowRunIdDto implements ArtifactFilterFlowRunId {
  @UuidList() any_?: string[] | null;
}

class ArtifactFilterTaskRunIdDto implements ArtifactFilterTaskRunId {
  @UuidList() any_?: string[] | null;
}

class ArtifactFilterTypeDto implements ArtifactFilterType {
  @StringList() any_?: string[] | null;
  @StringList() not_any_?: string[] | null;
}

/** `ArtifactFilter` (extra keys forbidden at every level). */
export class ArtifactFilterDto implements ArtifactFilter {
  @Operator() operator?: FilterOperator | null;
  @Nested(() => ArtifactFilterIdDto) id?: ArtifactFilterIdDto | null;
  @Nested(() => ArtifactFilterKeyDto) key?: ArtifactFilterKeyDto | null;
  @Nested(() => ArtifactFilterFlowRunIdDto) flow_run_id?: ArtifactFilterFlowRunIdDto | null;
  @Nested(() => ArtifactFilterTaskRunIdDto) task_run_id?: ArtifactFilterTaskRunIdDto | null;
  @Nested(() => ArtifactFilterTypeDto) type?: ArtifactFilterTypeDto | null;
}
