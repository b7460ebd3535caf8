import type { FilterOperator, WorkQueueFilter, WorkQueueFilterId, WorkQueueFilterName } from '@orrery/domain';
import { Nested, Operator, StringList, UuidList } from './filter-field.decorators';

class WorkQueueFilterIdDto implements WorkQueueFilterId {
  @UuidList() any_?: string[] | null;
}

class WorkQueueFilterNameDto implements WorkQueueFilterName {
  @StringList() any_?: string[] | null;
  @StringList() startswith_?: string[] | null;
}

/** `WorkQueueFilter` (body keys `work_queues` / `work_pool_queues`; extra keys forbidden). */
export class WorkQueueFilterDto implements WorkQueueFilter {
  @Operator() operator?: FilterOperator | null;
  @Nested(() => WorkQueueFilterIdDto) id?: WorkQueueFilterIdDto | null;
  @Nested(() => WorkQueueFilterNameDto) name?: WorkQueueFilterNameDto | null;
}
