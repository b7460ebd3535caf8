import type {
  FilterOperator,
  WorkPoolFilter,
  WorkPoolFilterId,
  WorkPoolFilterName,
  WorkPoolFilterType,
} from '@orrery/domain';
import { Nested, Operator, StringList, UuidList } from './filter-field.decorators';

class WorkPoolFilterIdDto implements WorkPoolFilterId {
  @UuidList() any_?: string[] | null;
}

class WorkPoolFilterNameDto implements WorkPoolFilterName {
  @StringList() any_?: string[] | null;
}

class WorkPoolFilterTypeDto implements WorkPoolFilterType {
  @StringList() any_?: string[] | null;
}

/** `WorkPoolFilter` (extra keys forbidden at every level). */
export class WorkPoolFilterDto implements WorkPoolFilter {
  @Operator() operator?: FilterOperator | null;
  @Nested(() => WorkPoolFilterIdDto) id?: WorkPoolFilterIdDto | null;
  @Nested(() => WorkPoolFilterNameDto) name?: WorkPoolFilterNameDto | null;
  @Nested(() => WorkPoolFilterTypeDto) type?: WorkPoolFilterTypeDto | null;
}
