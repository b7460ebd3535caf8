import {
  type FilterOperator,
  type Instant,
  WORKER_STATUSES,
  type WorkerFilter,
  type WorkerFilterLastHeartbeatTime,
  type WorkerFilterStatus,
  type WorkerStatus,
} from '@orrery/domain';
import { EnumList, InstantField, Nested, Operator } from './filter-field.decorators';

class WorkerFilterLastHeartbeatTimeDto implements WorkerFilterLastHeartbeatTime {
  @InstantField() before_?: Instant | null;
  @InstantField() after_?: Instant | null;
}

class WorkerFilterStatusDto implements WorkerFilterStatus {
  @EnumList(WORKER_STATUSES) any_?: WorkerStatus[] | null;
  @EnumList(WORKER_STATUSES) not_any_?: WorkerStatus[] | null;
}

/** `WorkerFilter` (extra keys forbidden at every level). */
export class WorkerFilterDto implements WorkerFilter {
  @Operator() operator?: FilterOperator | null;
  @Nested(() => WorkerFilterLastHeartbeatTimeDto)
  last_heartbeat_time?: WorkerFilterLastHeartbeatTimeDto | null;
  @Nested(() => WorkerFilterStatusDto) status?: WorkerFilterStatusDto | null;
}
