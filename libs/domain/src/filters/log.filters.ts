import type { Instant } from '../instant';
import type { OperatorFilter } from './filter-criteria';

/** `LogFilter` (body key `logs`). */
export interface LogFilter extends OperatorFilter {
  level?: LogFilterLevel | null;
  timestamp?: LogFilterTimestamp | null;
  flow_run_id?: LogFilterFlowRunId | null;
  task_run_id?: LogFilterTaskRunId | null;
  text?: LogFilterTextSearch | null;
}

export interface LogFilterLevel {
  ge_?: number | null;
  le_?: number | null;
}

export interface LogFilterTimestamp {
  before_?: Instant | null;
  after_?: Instant | null;
}

export interface LogFilterFlowRunId {
  any_?: string[] | null;
}

export interface LogFilterTaskRunId {
  any_?: string[] | null;
  is_null_?: boolean | null;
}

/** Free-text search (≤ 200 characters); syntax in `parseLogTextQuery`. */
export interface LogFilterTextSearch {
  query: string;
}
