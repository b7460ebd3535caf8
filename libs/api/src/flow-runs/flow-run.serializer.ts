import { flowRunPolicyToWire, Instant, STATE_TYPES } from '@orrery/domain';
import { estimatedRunTime, estimatedStartTimeDelta } from '@orrery/orchestration';
import type { FlowRunRecord } from '@orrery/persistence';
import { wire, wireModel, wirePage, type WireOf } from '../openapi/wire-schema';
import {
  ORCHESTRATION_DETAILS,
  SET_STATE_STATUS,
  STATE,
  stateResponseOrNull,
} from '../states/state.serializer';

/** `empirical_policy` as flowRunPolicyToWire writes it (`pause_keys` always a list). */
export const FLOW_RUN_POLICY = wireModel('FlowRunPolicy', {
  max_retries: wire.integer(),
  retry_delay_seconds: wire.number(),
  retries: wire.nullable(wire.integer()),
  retry_delay: wire.nullable(wire.integer()),
  pause_keys: wire.array(wire.string()),
  resuming: wire.boolean(),
  retry_type: wire.nullable(wire.enum(['in_process', 'reschedule'] as const)),
});

export const CREATED_BY = wireModel('CreatedBy', {
  id: wire.nullable(wire.uuid()),
  type: wire.nullable(wire.string()),
  display_value: wire.nullable(wire.string()),
});

export const FLOW_RUN = wireModel('FlowRunResponse', {
  id: wire.uuid(),
  created: wire.dateTime(),
  updated: wire.dateTime(),
  name: wire.string(),
  flow_id: wire.uuid(),
  state_id: wire.nullable(wire.uuid()),
  deployment_id: wire.nullable(wire.uuid()),
  deployment_version: wire.nullable(wire.string()),
  work_queue_id: wire.nullable(wire.uuid()),
  work_queue_name: wire.nullable(wire.string()),
  flow_version: wire.nullable(wire.string()),
  parameters: wire.dict(),
  idempotency_key: wire.nullable(wire.string()),
  context: wire.dict(),
  empirical_policy: FLOW_RUN_POLICY,
  tags: wire.array(wire.string()),
  labels: wire.labels(),
  parent_task_run_id: wire.nullable(wire.uuid()),
  state_type: wire.nullable(wire.enum(STATE_TYPES)),
  state_name: wire.nullable(wire.string()),
  run_count: wire.integer(),
  expected_start_time: wire.nullable(wire.dateTime()),
  next_scheduled_start_time: wire.nullable(wire.dateTime()),
  start_time: wire.nullable(wire.dateTime()),
  end_time: wire.nullable(wire.dateTime()),
  total_run_time: wire.number(),
  estimated_run_time: wire.number(),
  estimated_start_time_delta: wire.number(),
  auto_scheduled: wire.boolean(),
  infrastructure_document_id: wire.nullable(wire.uuid()),
  infrastructure_pid: wire.nullable(wire.string()),
  created_by: wire.nullable(CREATED_BY),
  work_pool_id: wire.nullable(wire.uuid()),
  work_pool_name: wire.nullable(wire.string()),
  state: wire.nullable(STATE),
  job_variables: wire.nullable(wire.dict()),
});
export const FLOW_RUN_PAGE = wirePage('FlowRunPaginationResponse', FLOW_RUN);
export const FLOW_RUN_BULK_DELETE = wireModel('FlowRunBulkDeleteResponse', {
  deleted: wire.array(wire.uuid()),
});
/** One run's outcome in `bulk_set_state`: an OrchestrationResult with the run's id. */
export const FLOW_RUN_BULK_SET_STATE = wireModel('FlowRunBulkSetStateResponse', {
  results: wire.array(
    wireModel('FlowRunOrchestrationResult', {
      flow_run_id: wire.uuid(),
      state: wire.nullable(STATE),
      status: SET_STATE_STATUS,
      details: ORCHESTRATION_DETAILS,
    }),
  ),
});

/**
 * `FlowRunResponse` on the wire (spec-api §2.1): every field present (null when absent), µs
 * timestamps, durations as float seconds, the computed `estimated_run_time` and
 * `estimated_start_time_delta` as of `now`, and the queue and pool names from the joined queue.
 */
export function flowRunResponse(run: FlowRunRecord, now: Instant = Instant.now()): WireOf<typeof FLOW_RUN> {
  return {
    id: run.id,
    created: run.created.toISOString(),
    updated: run.updated.toISOString(),
    name: run.name,
    flow_id: run.flowId,
    state_id: run.stateId,
    deployment_id: run.deploymentId,
    deployment_version: run.deploymentVersion,
    work_queue_id: run.workQueueId,
    work_queue_name: run.workQueueName,
    flow_version: run.flowVersion,
    parameters: run.parameters,
    idempotency_key: run.idempotencyKey,
    context: run.context,
    empirical_policy: flowRunPolicyToWire(run.empiricalPolicy),
    tags: run.tags,
    labels: run.labels ?? {},
    parent_task_run_id: run.parentTaskRunId,
    state_type: run.stateType,
    state_name: run.stateName,
    run_count: run.runCount,
    expected_start_time: run.expectedStartTime?.toISOString() ?? null,
    next_scheduled_start_time: run.nextScheduledStartTime?.toISOString() ?? null,
    start_time: run.startTime?.toISOString() ?? null,
    end_time: run.endTime?.toISOString() ?? null,
    total_run_time: run.totalRunTime,
    estimated_run_time: estimatedRunTime(run, now),
    estimated_start_time_delta: estimatedStartTimeDelta(run, now),
    auto_scheduled: run.autoScheduled,
    infrastructure_document_id: run.infrastructureDocumentId,
    infrastructure_pid: run.infrastructurePid,
    created_by:
      run.createdBy === null
        ? null
        : { id: run.createdBy.id, type: run.createdBy.type, display_value: run.createdBy.displayValue },
    work_pool_id: run.workPoolId,
    work_pool_name: run.workPoolName,
    state: stateResponseOrNull(run.state),
    job_variables: run.jobVariables,
  };
}
