import type {
  FilterOperator,
  FlowFilter,
  FlowFilterDeployment,
  FlowFilterId,
  FlowFilterName,
  FlowFilterTags,
} from '@orrery/domain';
import {
  Nested,
  Operator,
  OptionalBoolean,
  OptionalString,
  StringList,
  UuidList,
} from './filter-field.decorators';

class FlowFilterIdDto implements FlowFilterId {
  @UuidList() any_?: string[] | null;
  @UuidList() not_any_?: string[] | null;
}

class FlowFilterDeploymentDto implements FlowFilterDeployment {
  @Operator() operator?: FilterOperator | null;
  @OptionalBoolean() is_null_?: boolean | null;
}

class FlowFilterNameDto implements FlowFilterName {
  @StringList() any_?: string[] | null;
  @OptionalString() like_?: string | null;
}

class FlowFilterTagsDto implements FlowFilterTags {
  @Operator() operator?: FilterOperator | null;
  @StringList() all_?: string[] | null;
  @OptionalBoolean() is_null_?: boolean | null;
}

/** `FlowFilter` (extra keys forbidden at every level). */
export class FlowFilterDto implements FlowFilter {
  @Operator() operator?: FilterOperator | null;
  @Nested(() => FlowFilterIdDto) id?: FlowFilterIdDto | null;
  @Nested(() => FlowFilterDeploymentDto) deployment?: FlowFilterDeploymentDto | null;
  @Nested(() => FlowFilterNameDto) name?: FlowFilterNameDto | null;
  @Nested(() => FlowFilterTagsDto) tags?: FlowFilterTagsDto | null;
}
