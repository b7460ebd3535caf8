import type {
  AutomationFilter,
  AutomationFilterCreated,
  AutomationFilterName,
  AutomationFilterTags,
  FilterOperator,
  Instant,
} from '@orrery/domain';
import { InstantField, Nested, Operator, OptionalBoolean, StringList } from './filter-field.decorators';

class AutomationFilterNameDto implements AutomationFilterName {
  @StringList() any_?: string[] | null;
}

class AutomationFilterCreatedDto implements AutomationFilterCreated {
  @InstantField() before_?: Instant | null;
}

class AutomationFilterTagsDto implements AutomationFilterTags {
  @Operator() operator?: FilterOperator | null;
  @StringList() all_?: string[] | null;
  @StringList() any_?: string[] | null;
  @OptionalBoolean() is_null_?: boolean | null;
}

/** `AutomationFilter` (extra keys forbidden at every level). */
export class AutomationFilterDto implements AutomationFilter {
  @Operator() operator?: FilterOperator | null;
  @Nested(() => AutomationFilterNameDto) name?: AutomationFilterNameDto | null;
  @Nested(() => AutomationFilterCreatedDto) created?: AutomationFilterCreatedDto | null;
  @Nested(() => AutomationFilterTagsDto) tags?: AutomationFilterTagsDto | null;
}
