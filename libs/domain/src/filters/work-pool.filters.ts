import type { Instant } from '../instant';
import type { OperatorFilter } from './filter-criteria';

/** Worker statuses (the `worker_status` enum of the database). */
export const WORKER_STATUSES = ['ONLINE', 'OFFLINE'] as const;
export type WorkerStatus = (typeof WORKER_STATUSES)[number];

/** `WorkPoolFilter` (body key `work_pools`). */
export interface WorkPoolFilter extends OperatorFilter {
  id?: WorkPoolFilterId | null;
  name?: WorkPoolFilterName | null;
  type?: WorkPoolFilterType | null;
}

export interface WorkPoolFilterId {
  any_?: string[] | null;
}

export interface WorkPoolFilterName {
  any_?: string[] | null;
}

export interface WorkPoolFilterType {
  any_?: string[] | null;
}

/** `WorkQueueFilter` (body keys `work_queues` and `work_pool_queues`). */
export interface WorkQueueFilter extends OperatorFilter {
  id?: WorkQueueFilterId | null;
  name?: WorkQueueFilterName | null;
}

export interface WorkQueueFilterId {
  any_?: string[] | null;
}

/** `startswith_` is a list of case-insensitive prefixes, any of which may match. */
export interface WorkQueueFilterName {
  any_?: string[] | null;
  startswith_?: string[] | null;
}

/** `WorkerFilter` (body key `workers`). */
export interface WorkerFilter extends OperatorFilter {
  last_heartbeat_time?: WorkerFilterLastHeartbeatTime | null;
  status?: WorkerFilterStatus | null;
}

export interface WorkerFilterLastHeartbeatTime {
  before_?: Instant | null;
  after_?: Instant | null;
}

export interface WorkerFilterStatus {
  any_?: WorkerStatus[] | null;
  not_any_?: WorkerStatus[] | null;
}
