import type { Instant, State } from '@orrery/domain';
import type { FlowRunRelatedObjects } from '../engine/orchestration.ports';
import type { FlowRunSnapshot } from '../engine/run-snapshot';
import { TRUNCATE_STATE_MESSAGES_AT, truncatedTo } from '../support/state-helpers';

/** A Prefect event as the server emits it (spec-services §3.1), before it is `received`. */
export interface FlowRunStateChangeEvent {
  id: string;
  occurred: Instant;
  event: string;
  resource: Record<string, string>;
  related: Record<string, string>[];
  payload: {
    intended: { from: string | null; to: string };
    initial_state: Record<string, string> | null;
    validated_state: Record<string, string>;
  };
  follows: string | null;
}

/** Events of states closer than this to the previous state name it in `follows`. */
const TIGHT_TIMING_SECONDS = 5 * 60;

/**
 * Builds the `prefect.flow-run.<state name>` event of a flow-run state change (spec-services §3.2):
 * the id is the new state's id (so consumers can order and de-duplicate state events), and
 * `follows` names the previous state when the two are within five minutes of each other.
 */
export function flowRunStateChangeEvent(input: {
  run: FlowRunSnapshot;
  related: FlowRunRelatedObjects;
  initialState: State | null;
  validatedState: State;
}): FlowRunStateChangeEvent {
  const { run, related, initialState, validatedState } = input;
  const occurred = validatedState.timestamp;
  const tight =
    initialState !== null && Math.abs(occurred.secondsSince(initialState.timestamp)) < TIGHT_TIMING_SECONDS;
  return {
    id: validatedState.id,
    occurred,
    event: `prefect.flow-run.${validatedState.name}`,
    resource: {
      'prefect.resource.id': `prefect.flow-run.${run.id}`,
      'prefect.resource.name': run.name,
      'prefect.run-count': String(run.runCount),
      'prefect.state-message': truncatedTo(TRUNCATE_STATE_MESSAGES_AT, validatedState.message),
      'prefect.state-name': validatedState.name,
      'prefect.state-timestamp': pythonIsoFormat(validatedState.timestamp),
      'prefect.state-type': validatedState.type,
    },
    related: [...relatedResources(run, related), ...creatorResources(run)],
    payload: {
      intended: { from: initialState?.type ?? null, to: validatedState.type },
      initial_state: statePayload(initialState),
      validated_state: statePayload(validatedState)!,
    },
    follows: tight ? initialState.id : null,
  };
}

function relatedResources(run: FlowRunSnapshot, related: FlowRunRelatedObjects): Record<string, string>[] {
  const resources: Record<string, string>[] = [];
  const tags = new Set<string>(run.tags);
  const add = (
    kind: string,
    object: { id: string; name: string } | null,
    extra: Record<string, string> = {},
  ) => {
    if (object === null) return;
    resources.push({
      'prefect.resource.id': `prefect.${kind}.${object.id}`,
      'prefect.resource.role': kind,
      'prefect.resource.name': object.name,
      ...extra,
    });
  };
  add('flow', related.flow);
  add('deployment', related.deployment);
  add('work-queue', related.workQueue);
  add(
    'work-pool',
    related.workPool,
    related.workPool ? { 'prefect.work-pool.type': related.workPool.type } : {},
  );
  add('task-run', related.parentTaskRun);
  for (const object of [related.flow, related.deployment, related.parentTaskRun]) {
    for (const tag of object?.tags ?? []) tags.add(tag);
  }
  for (const tag of [...tags].sort()) {
    resources.push({ 'prefect.resource.id': `prefect.tag.${tag}`, 'prefect.resource.role': 'tag' });
  }
  return resources;
}

function creatorResources(run: FlowRunSnapshot): Record<string, string>[] {
  const createdBy = run.createdBy;
  if (createdBy === null) return [];
  let resourceId: string;
  if (createdBy.type === 'DEPLOYMENT') resourceId = `prefect.deployment.${createdBy.id}`;
  else if (createdBy.type === 'AUTOMATION') resourceId = `prefect.automation.${createdBy.id}`;
  else return [];
  const creator: Record<string, string> = {
    'prefect.resource.id': resourceId,
    'prefect.resource.role': 'creator',
  };
  if (createdBy.displayValue) creator['prefect.resource.name'] = createdBy.displayValue;
  return [creator];
}

/** The string parts of a state that event payloads carry. */
export function statePayload(state: State | null): Record<string, string> | null {
  if (state === null) return null;
  const payload: Record<string, string> = { type: state.type };
  if (state.name) payload['name'] = state.name;
  if (state.message) payload['message'] = truncatedTo(TRUNCATE_STATE_MESSAGES_AT, state.message);
  if (state.type === 'PAUSED') payload['pause_reschedule'] = String(state.stateDetails.pauseReschedule);
  return payload;
}

/** Python's `datetime.isoformat()` for a UTC instant: `+00:00`, fraction only when non-zero. */
function pythonIsoFormat(instant: Instant): string {
  const iso = instant.toISOString(); // YYYY-MM-DDTHH:MM:SS.ffffffZ
  const base = iso.slice(0, 19);
  const fraction = iso.slice(20, 26);
  return `${fraction === '000000' ? base : `${base}.${fraction}`}+00:00`;
}
