import { Instant, STATE_TYPES, taskRunPolicyToWire } from '@orrery/domain';
import { estimatedRunTime, estimatedStartTimeDelta } from '@orrery/orchestration';
import type { TaskRunRecord } from '@orrery/persistence';
import { wire, wireModel, wirePage, type WireOf } from '../openapi/wire-schema';
import { STATE, stateResponseOrNull } from '../states/state.serializer';

/** `empirical_policy` as taskRunPolicyToWire writes it: `retry_delay` seconds or one per retry. */
export const TASK_RUN_POLICY = wireModel('TaskRunPolicy', {
  max_retries: wire.integer(),
  retry_delay_seconds: wire.number(),
  retries: wire.nullable(wire.integer()),
  retry_delay: wire.nullable(wire.oneOf(wire.number(), wire.array(wire.number()))),
  retry_jitter_factor: wire.nullable(wire.number()),
});

export const TASK_RUN = wireModel('TaskRun', {
  id: wire.uuid(),
  created: wire.dateTime(),
  updated: wire.dateTime(),
  name: wire.string(),
  flow_run_id: wire.nullable(wire.uuid()),
  task_key: wire.string(),
  dynamic_key: wire.string(),
  cache_key: wire.nullable(wire.string()),
  cache_expiration: wire.nullable(wire.dateTime()),
  task_version: wire.nullable(wire.string()),
  empirical_policy: TASK_RUN_POLICY,
  tags: wire.array(wire.string()),
  labels: wire.labels(),
  state_id: wire.nullable(wire.uuid()),
  // Stored as the client sent it (an object of lists of input references), not re-validated.
  task_inputs: wire.dict(),
  state_type: wire.nullable(wire.enum(STATE_TYPES)),
  state_name: wire.nullable(wire.string()),
  run_count: wire.integer(),
  flow_run_run_count: wire.integer(),
  expected_start_time: wire.nullable(wire.dateTime()),
  next_scheduled_start_time: wire.nullable(wire.dateTime()),
  start_time: wire.nullable(wire.dateTime()),
  end_time: wire.nullable(wire.dateTime()),
  total_run_time: wire.number(),
  estimated_run_time: wire.number(),
  estimated_start_time_delta: wire.number(),
  state: wire.nullable(STATE),
});
/** Upstream names a narrower item model here; ours pages full task runs. */
export const TASK_RUN_PAGE = wirePage('TaskRunPaginationResponse', TASK_RUN);
/** `GET /ui/task_runs/{id}`: the task run and its flow run's name. */
export const UI_TASK_RUN = wireModel('UITaskRun', {
  ...TASK_RUN.properties,
  flow_run_name: wire.nullable(wire.string()),
});

/** `TaskRun` on the wire: every field present, computed durations as of `now` (spec-api §2.1). */
export function taskRunResponse(run: TaskRunRecord, now: Instant = Instant.now()): WireOf<typeof TASK_RUN> {
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
