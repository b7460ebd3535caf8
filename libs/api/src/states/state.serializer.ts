import { STATE_TYPES, stateToWire } from '@orrery/domain';
import { orchestrationResultToWire } from '@orrery/orchestration';
import type { StateRecord } from '@orrery/persistence';
import { wire, wireModel, type WireOf } from '../openapi/wire-schema';

const uuidOrNull = () => wire.nullable(wire.uuid());
const dateTimeOrNull = () => wire.nullable(wire.dateTime());
const stringOrNull = () => wire.nullable(wire.string());
const booleanOrNull = () => wire.nullable(wire.boolean());

/** `state_details` as stateDetailsToWire writes it: every key, null when unset. */
export const STATE_DETAILS = wireModel('StateDetails', {
  flow_run_id: uuidOrNull(),
  task_run_id: uuidOrNull(),
  child_flow_run_id: uuidOrNull(),
  scheduled_time: dateTimeOrNull(),
  cache_key: stringOrNull(),
  cache_expiration: dateTimeOrNull(),
  deferred: booleanOrNull(),
  untrackable_result: wire.boolean(),
  pause_timeout: dateTimeOrNull(),
  pause_reschedule: wire.boolean(),
  pause_key: stringOrNull(),
  run_input_keyset: wire.nullable(wire.dict(wire.string())),
  refresh_cache: booleanOrNull(),
  retriable: booleanOrNull(),
  transition_id: uuidOrNull(),
  task_parameters_id: uuidOrNull(),
  traceparent: stringOrNull(),
  deployment_concurrency_lease_id: uuidOrNull(),
});

/** A run state: its name defaults to the capitalised type, so it is always a string here. */
export const STATE = wireModel('State', {
  id: wire.uuid(),
  type: wire.enum(STATE_TYPES),
  name: wire.string(),
  timestamp: wire.dateTime(),
  message: stringOrNull(),
  data: wire.any(),
  state_details: STATE_DETAILS,
});

/** `OrchestrationResult.details`, one shape per status. */
export const ORCHESTRATION_DETAILS = wire.oneOf(
  wireModel('StateAcceptDetails', { type: wire.constant('accept_details') }),
  wireModel('StateWaitDetails', {
    type: wire.constant('wait_details'),
    // Whole seconds, except a tag-limit wait of a fractional server.tasks.tag_concurrency_slot_wait_seconds.
    delay_seconds: wire.number(),
    reason: stringOrNull(),
  }),
  wireModel('StateRejectDetails', { type: wire.constant('reject_details'), reason: stringOrNull() }),
  wireModel('StateAbortDetails', { type: wire.constant('abort_details'), reason: stringOrNull() }),
);

export const SET_STATE_STATUS = wire.enum(['ACCEPT', 'REJECT', 'WAIT', 'ABORT'] as const);

/** The answer of `set_state` and `resume`: the state after orchestration, or null when the run has none. */
export const ORCHESTRATION_RESULT = wireModel('OrchestrationResult', {
  state: wire.nullable(STATE),
  status: SET_STATE_STATUS,
  details: ORCHESTRATION_DETAILS,
});

/** `State` on the wire: every field present; `data` is the row's data or its result artifact's. */
export function stateResponse(state: StateRecord): WireOf<typeof STATE> {
  return stateToWire(state);
}

export function stateResponseOrNull(state: StateRecord | null): WireOf<typeof STATE> | null {
  return state === null ? null : stateResponse(state);
}

/** An orchestration outcome on the wire. */
export function orchestrationResultResponse(
  result: Parameters<typeof orchestrationResultToWire>[0],
): WireOf<typeof ORCHESTRATION_RESULT> {
  return orchestrationResultToWire(result);
}
