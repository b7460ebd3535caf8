import { flowRunPolicyToWire, Instant } from '@orrery/domain';
import { estimatedRunTime, estimatedStartTimeDelta } from '@orrery/orchestration';
import type { FlowRunRecord } from '@orrery/persistence';
import { stateResponseOrNull } from '../states/state.serializer';

/**
 * `FlowRunResponse` on the wire (spec-api §2.1): every field present (null when absent), µs
 * timestamps, durations as float seconds, the computed `estimated_run_time` and
 * `estimated_start_time_delta` as of `now`, and the queue and pool names from the joined queue.
 */
export function flowRunResponse(run: FlowRunRecord, now: Instant = Instant.now()): Record<string, unknown> {
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
