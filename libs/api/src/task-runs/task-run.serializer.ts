import { Instant, taskRunPolicyToWire } from '@orrery/domain';
import { estimatedRunTime, estimatedStartTimeDelta } from '@orrery/orchestration';
import type { TaskRunRecord } from '@orrery/persistence';
import { stateResponseOrNull } from '../states/state.serializer';

/** `TaskRun` on the wire: every field present, computed durations as of `now` (spec-api §2.1). */
export function taskRunResponse(run: TaskRunRecord, now: Instant = Instant.now()): Record<string, unknown> {
  return {
    id: run.id,
    created: run.created.toISOString(),
    updated: run.updated.toISOString(),
    name: run.name,
    flow_run_id: run.flowRunId,
    task_key: run.taskKey,
    dynamic_key: run.dynamicKey,
    cache_key: run.cacheKey,
    cache_expiration: run.cacheExpiration?.toISOString() ?? null,
    task_version: run.taskVersion,
    empirical_policy: taskRunPolicyToWire(run.empiricalPolicy),
    tags: run.tags,
    labels: run.labels ?? {},
    state_id: run.stateId,
    task_inputs: run.taskInputs,
    state_type: run.stateType,
    state_name: run.stateName,
    run_count: run.runCount,
    flow_run_run_count: run.flowRunRunCount,
    expected_start_time: run.expectedStartTime?.toISOString() ?? null,
    next_scheduled_start_time: run.nextScheduledStartTime?.toISOString() ?? null,
    start_time: run.startTime?.toISOString() ?? null,
    end_time: run.endTime?.toISOString() ?? null,
    total_run_time: run.totalRunTime,
    estimated_run_time: estimatedRunTime(run, now),
    estimated_start_time_delta: estimatedStartTimeDelta(run, now),
    state: stateResponseOrNull(run.state),
  };
}
