import { Instant } from './instant';
import { laxBool, laxDateTime, laxUuid } from './lax-scalars';
import { defaultStateName, isStateType, type StateType } from './state-type';

/**
 * The `state_details` of a run state (spec-api §3.2), camelCase in TypeScript. Every field is
 * optional on the wire; here absent fields are `null` (or their Prefect default) so rules never
 * have to distinguish "absent" from "null". `stateDetailsToWire` / `stateDetailsFromWire` are the
 * one place that maps these names to Prefect's snake_case JSON.
 */
export interface StateDetails {
  flowRunId: string | null;
  taskRunId: string | null;
  /** On a parent task-run state that mirrors a subflow: the subflow's run id. */
  childFlowRunId: string | null;
  scheduledTime: Instant | null;
  cacheKey: string | null;
  cacheExpiration: Instant | null;
  /** Prefect's default is `false` (a deferred, i.e. background, task run when true). */
  deferred: boolean | null;
  untrackableResult: boolean;
  pauseTimeout: Instant | null;
  pauseReschedule: boolean;
  pauseKey: string | null;
  runInputKeyset: Record<string, string> | null;
  refreshCache: boolean | null;
  retriable: boolean | null;
  transitionId: string | null;
  taskParametersId: string | null;
  traceparent: string | null;
  deploymentConcurrencyLeaseId: string | null;
}

/** A persisted (or about to be persisted) run state. */
export interface State {
  id: string;
  type: StateType;
  name: string;
  timestamp: Instant;
  message: string | null;
  /** Result-record metadata (an object) or null; see `isPersistedResult` in libs/orchestration. */
  data: unknown;
  stateDetails: StateDetails;
}

/** What a client proposes (`StateCreate`): no id and no timestamp, the server mints both. */
export interface StateCreate {
  type: StateType;
  name?: string | null;
  message?: string | null;
  data?: unknown;
  stateDetails?: Partial<StateDetails> | null;
}

export function emptyStateDetails(): StateDetails {
  return {
    flowRunId: null,
    taskRunId: null,
    childFlowRunId: null,
    scheduledTime: null,
    cacheKey: null,
    cacheExpiration: null,
    deferred: false,
    untrackableResult: false,
    pauseTimeout: null,
    pauseReschedule: false,
    pauseKey: null,
    runInputKeyset: null,
    refreshCache: null,
    retriable: null,
    transitionId: null,
    taskParametersId: null,
    traceparent: null,
    deploymentConcurrencyLeaseId: null,
  };
}

/** Fills absent fields with their defaults (a fresh object; the input is not changed). */
export function completeStateDetails(partial: Partial<StateDetails> | null | undefined): StateDetails {
  const details = emptyStateDetails();
  if (partial == null) return details;
  for (const key of Object.keys(details) as (keyof StateDetails)[]) {
    const value = partial[key];
    if (value !== undefined) {
      (details as unknown as Record<string, unknown>)[key] = value;
    }
  }
  if (details.runInputKeyset !== null) details.runInputKeyset = { ...details.runInputKeyset };
  return details;
}

/** A copy deep enough that changing the copy never changes the original (Instants are immutable). */
export function copyStateDetails(details: StateDetails): StateDetails {
  return completeStateDetails(details);
}

export function copyState(state: State): State {
  return { ...state, stateDetails: copyStateDetails(state.stateDetails) };
}

/** Prefect's wire name for each `StateDetails` field, in Prefect's declaration order. */
const WIRE_NAMES = {
  flowRunId: 'flow_run_id',
  taskRunId: 'task_run_id',
  childFlowRunId: 'child_flow_run_id',
  scheduledTime: 'scheduled_time',
  cacheKey: 'cache_key',
  cacheExpiration: 'cache_expiration',
  deferred: 'deferred',
  untrackableResult: 'untrackable_result',
  pauseTimeout: 'pause_timeout',
  pauseReschedule: 'pause_reschedule',
  pauseKey: 'pause_key',
  runInputKeyset: 'run_input_keyset',
  refreshCache: 'refresh_cache',
  retriable: 'retriable',
  transitionId: 'transition_id',
  taskParametersId: 'task_parameters_id',
  traceparent: 'traceparent',
  deploymentConcurrencyLeaseId: 'deployment_concurrency_lease_id',
} as const satisfies Readonly<Record<keyof StateDetails, string>>;

const INSTANT_FIELDS = new Set<keyof StateDetails>(['scheduledTime', 'cacheExpiration', 'pauseTimeout']);

/** `state_details` on the wire: one key per StateDetails field. */
export type StateDetailsWire = Record<(typeof WIRE_NAMES)[keyof StateDetails], unknown>;

/** Prefect's JSON for `state_details`: every field present, datetimes as `…ffffffZ` strings. */
export function stateDetailsToWire(details: StateDetails): StateDetailsWire {
  const wire: Record<string, unknown> = {};
  for (const [key, wireName] of Object.entries(WIRE_NAMES) as [keyof StateDetails, string][]) {
    const value = details[key];
    wire[wireName] = value instanceof Instant ? value.toISOString() : value;
  }
  return wire as StateDetailsWire;
}

/**
 * Reads Prefect's `state_details` JSON (from a request body or a jsonb column). Unknown keys are
 * ignored; absent keys take their defaults; datetimes may use any ISO-8601 form `Instant.parse`
 * accepts. Throws RangeError naming the field when a value has the wrong type.
 */
export function stateDetailsFromWire(wire: unknown): StateDetails {
  const details = emptyStateDetails();
  if (wire == null) return details;
  if (typeof wire !== 'object' || Array.isArray(wire)) {
    throw new RangeError('state_details must be an object');
  }
  const source = wire as Record<string, unknown>;
  const target = details as unknown as Record<string, unknown>;
  for (const [key, wireName] of Object.entries(WIRE_NAMES) as [keyof StateDetails, string][]) {
    const value = source[wireName];
    if (value === undefined) continue;
    if (value === null) {
      // Non-nullable booleans keep their default when a client sends null.
      if (key !== 'untrackableResult' && key !== 'pauseReschedule') target[key] = null;
      continue;
    }
    target[key] = readWireField(key, wireName, value);
  }
  return details;
}

/** A `state_details` field pydantic would reject: its wire name and pydantic's error type. */
export class StateDetailsFieldError extends RangeError {
  constructor(
    readonly field: string,
    readonly type: string,
    readonly pydanticMessage: string,
  ) {
    super(
      `state_details.${field} must be ${type.startsWith('datetime') ? 'a datetime' : type.startsWith('bool') ? 'a boolean' : 'valid'}`,
    );
  }
}

function readWireField(key: keyof StateDetails, wireName: string, value: unknown): unknown {
  if (INSTANT_FIELDS.has(key)) {
    // ISO text as stored (any form Instant reads), else pydantic's lax datetime: the SDK sends
    // `pause_timeout` and `scheduled_time` as epoch floats (`1796592552.126133`).
    const stored = typeof value === 'string' ? Instant.tryParse(value) : null;
    if (stored !== null) return stored;
    const instant = laxDateTime(value);
    if (!instant.ok) throw new StateDetailsFieldError(wireName, instant.type, instant.msg);
    return instant.value;
  }
  switch (key) {
    case 'deferred':
    case 'untrackableResult':
    case 'pauseReschedule':
    case 'refreshCache':
    case 'retriable': {
      const flag = laxBool(value);
      if (!flag.ok) throw new StateDetailsFieldError(wireName, flag.type, flag.msg);
      return flag.value;
    }
    case 'flowRunId':
    case 'taskRunId':
    case 'childFlowRunId':
    case 'taskParametersId':
    case 'deploymentConcurrencyLeaseId': {
      // Canonical when it is a UUID in any of pydantic's forms; other strings are kept as before.
      const id = laxUuid(value);
      if (id.ok) return id.value;
      if (typeof value !== 'string') throw new RangeError(`state_details.${wireName} must be a string`);
      return value;
    }
    case 'runInputKeyset': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new RangeError(`state_details.${wireName} must be an object`);
      }
      const keyset: Record<string, string> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v !== 'string') throw new RangeError(`state_details.${wireName}.${k} must be a string`);
        keyset[k] = v;
      }
      return keyset;
    }
    default:
      if (typeof value !== 'string') throw new RangeError(`state_details.${wireName} must be a string`);
      return value;
  }
}

/** Prefect's JSON for a `State` response object. */
export function stateToWire(state: State) {
  return {
    id: state.id,
    type: state.type,
    name: state.name,
    timestamp: state.timestamp.toISOString(),
    message: state.message,
    data: state.data ?? null,
    state_details: stateDetailsToWire(state.stateDetails),
  };
}

/**
 * Reads a `StateCreate` body (`{type, name?, message?, data?, state_details?}`) into a
 * StateCreate. Throws RangeError on a missing or unknown type or badly typed fields; deeper
 * request validation (unknown keys → 422) belongs to the API's DTOs.
 */
export function stateCreateFromWire(wire: Record<string, unknown>): StateCreate {
  const type = wire['type'];
  if (!isStateType(type)) throw new RangeError(`Invalid state type: ${JSON.stringify(type)}`);
  const name = wire['name'];
  const message = wire['message'];
  if (name != null && typeof name !== 'string') throw new RangeError('state name must be a string');
  if (message != null && typeof message !== 'string') throw new RangeError('state message must be a string');
  return {
    type,
    name: name ?? null,
    message: message ?? null,
    data: wire['data'] ?? null,
    stateDetails: stateDetailsFromWire(wire['state_details']),
  };
}

/**
 * Promotes a proposal to a full State (spec-api §3.1): the given id and timestamp, the name
 * defaulting to the capitalised type, and a SCHEDULED state without `scheduled_time` scheduled for
 * `now`. The proposal is not changed.
 */
export function stateFromCreate(create: StateCreate, id: string, timestamp: Instant): State {
  const stateDetails = completeStateDetails(create.stateDetails);
  if (create.type === 'SCHEDULED' && stateDetails.scheduledTime === null) {
    stateDetails.scheduledTime = timestamp;
  }
  return {
    id,
    type: create.type,
    name: create.name ?? defaultStateName(create.type),
    timestamp,
    message: create.message ?? null,
    data: create.data ?? null,
    stateDetails,
  };
}
