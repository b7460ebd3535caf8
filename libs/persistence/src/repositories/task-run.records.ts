import { Instant, type StateType, taskRunPolicyFromWire } from '@orrery/domain';
import type { TaskRunSnapshot } from '@orrery/orchestration';
import type { Labels } from './flow.repository';
import {
  currentStateColumns,
  type CurrentStateColumns,
  currentStateFromRow,
  instantOrNull,
  type StateRecord,
} from './run-state.records';

/** A task run with its current state (and result data); extends the orchestration snapshot. */
export interface TaskRunRecord extends TaskRunSnapshot {
  readonly created: Instant;
  readonly updated: Instant;
  readonly cacheKey: string | null;
  readonly cacheExpiration: Instant | null;
  readonly taskVersion: string | null;
  readonly labels: Labels | null;
  readonly taskInputs: Record<string, unknown>;
  readonly state: StateRecord | null;
}

export interface TaskRunRow extends CurrentStateColumns {
  id: string;
  created: string;
  updated: string;
  name: string;
  flow_run_id: string | null;
  task_key: string;
  dynamic_key: string;
  cache_key: string | null;
  cache_expiration: string | null;
  task_version: string | null;
  empirical_policy: unknown;
  tags: string[];
  labels: Labels | null;
  state_id: string | null;
  task_inputs: Record<string, unknown>;
  state_type: StateType | null;
  state_name: string | null;
  state_timestamp: string | null;
  run_count: number;
  flow_run_run_count: number;
  expected_start_time: string | null;
  next_scheduled_start_time: string | null;
  start_time: string | null;
  end_time: string | null;
  total_run_time_seconds: number;
}

/*
 * One SELECT per task-run read or list: the run and its current state (pk_task_run_state) with the
 * state's result artifact (pk_artifact). `task_run` may be the table or a derived table of the same
 * shape (a filtered page), see TaskRunRepository.list.
 */
export const TASK_RUN_COLUMNS = [
  'task_run.id',
  'task_run.created',
  'task_run.updated',
  'task_run.name',
  'task_run.flow_run_id',
  'task_run.task_key',
  'task_run.dynamic_key',
  'task_run.cache_key',
  'task_run.cache_expiration',
  'task_run.task_version',
  'task_run.empirical_policy',
  'task_run.tags',
  'task_run.labels',
  'task_run.state_id',
  'task_run.task_inputs',
  'task_run.state_type',
  'task_run.state_name',
  'task_run.state_timestamp',
  'task_run.run_count',
  'task_run.flow_run_run_count',
  'task_run.expected_start_time',
  'task_run.next_scheduled_start_time',
  'task_run.start_time',
  'task_run.end_time',
  'extract(epoch FROM task_run.total_run_time)::float8 AS total_run_time_seconds',
  currentStateColumns('run_state'),
].join(', ');

export const TASK_RUN_JOINS = [
  'LEFT JOIN task_run_state run_state ON run_state.id = task_run.state_id',
  'LEFT JOIN artifact run_state_artifact ON run_state_artifact.id = run_state.result_artifact_id',
].join(' ');

export function toTaskRunRecord(row: TaskRunRow): TaskRunRecord {
  return {
    id: row.id,
    created: Instant.parse(row.created),
    updated: Instant.parse(row.updated),
    name: row.name,
    flowRunId: row.flow_run_id,
    taskKey: row.task_key,
    dynamicKey: row.dynamic_key,
    cacheKey: row.cache_key,
    cacheExpiration: instantOrNull(row.cache_expiration),
    taskVersion: row.task_version,
    empiricalPolicy: taskRunPolicyFromWire(row.empirical_policy),
    tags: row.tags,
    labels: row.labels,
    stateId: row.state_id,
    taskInputs: row.task_inputs,
    stateType: row.state_type,
    stateName: row.state_name,
    stateTimestamp: instantOrNull(row.state_timestamp),
    runCount: row.run_count,
    flowRunRunCount: row.flow_run_run_count,
    expectedStartTime: instantOrNull(row.expected_start_time),
    nextScheduledStartTime: instantOrNull(row.next_scheduled_start_time),
    startTime: instantOrNull(row.start_time),
    endTime: instantOrNull(row.end_time),
    totalRunTime: row.total_run_time_seconds,
    state: currentStateFromRow(row),
  };
}
