import type {
  FilterOperator,
  VariableFilter,
  VariableFilterId,
  VariableFilterName,
  VariableFilterTags,
} from '@orrery/domain';
import {
  Nested,
  Operator,
  OptionalBoolean,
  OptionalString,
  StringList,
  UuidList,
} from './filter-field.decorators';

class VariableFilterIdDto implements VariableFilterId {
  @UuidList() any_?: string[] | null;
}

class VariableFilterNameDto implements VariableFilterName {
  @StringList() any_?: string[] | null;
  @OptionalString() like_?: string | null;
}

class VariableFilterTagsDto implements VariableFilterTags {
  @Operator() operator?: FilterOperator | null;
  @StringList() all_?: string[] | null;
  @OptionalBoolean() is_null_?: boolean | null;
}

/** `VariableFilter` (extra keys forbidden at every level). */
export class VariableFilterDto implements VariableFilter {
  @Operator() operator?: FilterOperator | null;
  @Nested(() => VariableFilterIdDto) id?: VariableFilterIdDto | null;
  @Nested(() => VariableFilterNameDto) name?: VariableFilterNameDto | null;
  @Nested(() => VariableFilterTagsDto) tags?: VariableFilterTagsDto | null;
}
