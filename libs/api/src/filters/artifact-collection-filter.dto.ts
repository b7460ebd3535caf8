import type {
  ArtifactCollectionFilter,
  ArtifactCollectionFilterLatestId,
  ArtifactFilterFlowRunId,
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

class ArtifactCollectionFilterLatestIdDto implements ArtifactCollectionFilterLatestId {
  @UuidList() any_?: string[] | null;
}

class ArtifactCollectionFilterKeyDto implements ArtifactFilterKey {
  @StringList() any_?: string[] | null;
  @OptionalString() like_?: string | null;
  @OptionalBoolean() exists_?: boolean | null;
}

class ArtifactCollectionFilterFlowRunIdDto implements ArtifactFilterFlowRunId {
  @UuidList() any_?: string[] | null;
}

class ArtifactCollectionFilterTaskRunIdDto implements ArtifactFilterTaskRunId {
  @UuidList() any_?: string[] | null;
}

class ArtifactCollectionFilterTypeDto implements ArtifactFilterType {
  @StringList() any_?: string[] | null;
  @StringList() not_any_?: string[] | null;
}

/** `ArtifactCollectionFilter` (body key `artifacts` of `/artifacts/latest/…`; extra keys forbidden). */
export class ArtifactCollectionFilterDto implements ArtifactCollectionFilter {
  @Operator() operator?: FilterOperator | null;
  @Nested(() => ArtifactCollectionFilterLatestIdDto) latest_id?: ArtifactCollectionFilterLatestIdDto | null;
  @Nested(() => ArtifactCollectionFilterKeyDto) key?: ArtifactCollectionFilterKeyDto | null;
  @Nested(() => ArtifactCollectionFilterFlowRunIdDto)
  flow_run_id?: ArtifactCollectionFilterFlowRunIdDto | null;
  @Nested(() => ArtifactCollectionFilterTaskRunIdDto)
  task_run_id?: ArtifactCollectionFilterTaskRunIdDto | null;
  @Nested(() => ArtifactCollectionFilterTypeDto) type?: ArtifactCollectionFilterTypeDto | null;
}
