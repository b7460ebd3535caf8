import { flowRunPolicyFromWire, Instant, type StateType } from '@orrery/domain';
import type { FlowRunSnapshot } from '@orrery/orchestration';
import type { Labels } from './flow.repository';
import {
  currentStateColumns,
  type CurrentStateColumns,
  currentStateFromRow,
  instantOrNull,
  type StateRecord,
} from './run-state.records';

/**
 * A flow run as the API and the use-cases see it: the `flow_run` row, its current state (with
 * result data), and the work queue and pool it is assigned to. Extends the orchestration snapshot,
 * so a record read under `FOR UPDATE` can be handed to `orchestrate` as is.
 */
export interface FlowRunRecord extends FlowRunSnapshot {
  readonly created: Instant;
  readonly updated: Instant;
  readonly deploymentVersion: string | null;
  readonly flowVersion: string | null;
  readonly parameters: Record<string, unknown>;
  readonly idempotencyKey: string | null;
  readonly context: Record<string, unknown>;
  readonly labels: Labels | null;
  readonly autoScheduled: boolean;
  readonly infrastructureDocumentId: string | null;
  readonly jobVariables: Record<string, unknown> | null;
  /** The joined queue's name (it overrides the denormalised `flow_run.work_queue_name`). */
  readonly workQueueName: string | null;
  readonly workPoolId: string | null;
  readonly workPoolName: string | null;
  readonly state: StateRecord | null;
}

export interface FlowRunRow extends CurrentStateColumns {
  id: string;
  created: string;
  updated: string;
  name: string;
  flow_id: string;
  state_id: string | null;
  deployment_id: string | null;
  deployment_version: string | null;
  work_queue_id: string | null;
  work_queue_name: string | null;
  flow_version: string | null;
  parameters: Record<string, unknown>;
  idempotency_key: string | null;
  context: Record<string, unknown>;
  empirical_policy: unknown;
  tags: string[];
  labels: Labels | null;
  parent_task_run_id: string | null;
  state_type: StateType | null;
  state_name: string | null;
  state_timestamp: string | null;
  run_count: number;
  expected_start_time: string | null;
  next_scheduled_start_time: string | null;
  start_time: string | null;
  end_time: string | null;
  total_run_time_seconds: number;
  auto_scheduled: boolean;
  infrastructure_document_id: string | null;
  infrastructure_pid: string | null;
  created_by: { id?: string | null; type?: string | null; display_value?: string | null } | null;
  job_variables: Record<string, unknown> | null;
  work_pool_id: string | null;
  work_pool_name: string | null;
}

/*
 * One SELECT per flow-run read, list or lock: the run, its current state (pk_flow_run_state) with
 * the state's result artifact (pk_artifact), and the work queue (pk_work_queue) and pool
 * (pk_work_pool) it is assigned to. Joined tables are aliased `run_*` so they never shadow the
 * filter compiler's EXISTS sub-queries on `work_queue` / `work_pool`.
 */
export const FLOW_RUN_COLUMNS = [
  'flow_run.id',
  'flow_run.created',
  'flow_run.updated',
  'flow_run.name',
  'flow_run.flow_id',
  'flow_run.state_id',
  'flow_run.deployment_id',
  'flow_run.deployment_version',
  'flow_run.work_queue_id',
  'COALESCE(run_work_queue.name, flow_run.work_queue_name) AS work_queue_name',
  'flow_run.flow_version',
  'flow_run.parameters',
  'flow_run.idempotency_key',
  'flow_run.context',
  'flow_run.empirical_policy',
  'flow_run.tags',
  'flow_run.labels',
  'flow_run.parent_task_run_id',
  'flow_run.state_type',
  'flow_run.state_name',
  'flow_run.state_timestamp',
  'flow_run.run_count',
  'flow_run.expected_start_time',
  'flow_run.next_scheduled_start_time',
  'flow_run.start_time',
  'flow_run.end_time',
  'extract(epoch FROM flow_run.total_run_time)::float8 AS total_run_time_seconds',
  'flow_run.auto_scheduled',
  'flow_run.infrastructure_document_id',
  'flow_run.infrastructure_pid',
  'flow_run.created_by',
  'flow_run.job_variables',
  'run_work_pool.id AS work_pool_id',
  'run_work_pool.name AS work_pool_name',
  currentStateColumns('run_state'),
].join(', ');

export const FLOW_RUN_JOINS = [
  'LEFT JOIN flow_run_state run_state ON run_state.id = flow_run.state_id',
  'LEFT JOIN artifact run_state_artifact ON run_state_artifact.id = run_state.result_artifact_id',
  'LEFT JOIN work_queue run_work_queue ON run_work_queue.id = flow_run.work_queue_id',
  'LEFT JOIN work_pool run_work_pool ON run_work_pool.id = run_work_queue.work_pool_id',
].join(' ');

export function toFlowRunRecord(row: FlowRunRow): FlowRunRecord {
  const createdBy = row.created_by;
  return {
    id: row.id,
    created: Instant.parse(row.created),
    updated: Instant.parse(row.updated),
    name: row.name,
    flowId: row.flow_id,
    stateId: row.state_id,
    deploymentId: row.deployment_id,
    deploymentVersion: row.deployment_version,
    workQueueId: row.work_queue_id,
    workQueueName: row.work_queue_name,
    flowVersion: row.flow_version,
    parameters: row.parameters,
    idempotencyKey: row.idempotency_key,
    context: row.context,
    empiricalPolicy: flowRunPolicyFromWire(row.empirical_policy),
    tags: row.tags,
    labels: row.labels,
    parentTaskRunId: row.parent_task_run_id,
    stateType: row.state_type,
    stateName: row.state_name,
    stateTimestamp: instantOrNull(row.state_timestamp),
    runCount: row.run_count,
    expectedStartTime: instantOrNull(row.expected_start_time),
    nextScheduledStartTime: instantOrNull(row.next_scheduled_start_time),
    startTime: instantOrNull(row.start_time),
    endTime: instantOrNull(row.end_time),
    totalRunTime: row.total_run_time_seconds,
    autoScheduled: row.auto_scheduled,
    infrastructureDocumentId: row.infrastructure_document_id,
    infrastructurePid: row.infrastructure_pid,
    createdBy:
      createdBy === null
        ? null
        : {
            id: createdBy.id ?? null,
            type: createdBy.type ?? null,
            displayValue: createdBy.display_value ?? null,
          },
    jobVariables: row.job_variables,
    workPoolId: row.work_pool_id,
    workPoolName: row.work_pool_name,
    state: currentStateFromRow(row),
  };
}
