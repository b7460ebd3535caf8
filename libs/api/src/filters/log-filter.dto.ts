import {
  type FilterOperator,
  type Instant,
  LOG_TEXT_QUERY_MAX_LENGTH,
  type LogFilter,
  type LogFilterFlowRunId,
  type LogFilterLevel,
  type LogFilterTaskRunId,
  type LogFilterTextSearch,
  type LogFilterTimestamp,
} from '@orrery/domain';
import { IsString, MaxLength } from 'class-validator';
import {
  InstantField,
  Nested,
  Operator,
  OptionalBoolean,
  OptionalInt,
  UuidList,
} from './filter-field.decorators';

class LogFilterLevelDto implements LogFilterLevel {
  @OptionalInt() ge_?: number | null;
  @OptionalInt() le_?: number | null;
}

class LogFilterTimestampDto implements LogFilterTimestamp {
  @InstantField() before_?: Instant | null;
  @InstantField() after_?: Instant | null;
}

class LogFilterFlowRunIdDto implements LogFilterFlowRunId {
  @UuidList() any_?: string[] | null;
}

class LogFilterTaskRunIdDto implements LogFilterTaskRunId {
  @UuidList() any_?: string[] | null;
  @OptionalBoolean() is_null_?: boolean | null;
}

class LogFilterTextSearchDto implements LogFilterTextSearch {
  @IsString() @MaxLength(LOG_TEXT_QUERY_MAX_LENGTH) query!: string;
}

/** `LogFilter` (extra keys forbidden at every level; `text.query` required, ≤ 200 characters). */
export class LogFilterDto implements LogFilter {
  @Operator() operator?: FilterOperator | null;
  @Nested(() => LogFilterLevelDto) level?: LogFilterLevelDto | null;
  @Nested(() => LogFilterTimestampDto) timestamp?: LogFilterTimestampDto | null;
  @Nested(() => LogFilterFlowRunIdDto) flow_run_id?: LogFilterFlowRunIdDto | null;
  @Nested(() => LogFilterTaskRunIdDto) task_run_id?: LogFilterTaskRunIdDto | null;
  @Nested(() => LogFilterTextSearchDto) text?: LogFilterTextSearchDto | null;
}
