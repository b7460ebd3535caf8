import { laxBool, laxFloat } from './lax-scalars';
/**
 * A flow run's `empirical_policy` (spec-api §2.1 FlowRunPolicy). `maxRetries` and
 * `retryDelaySeconds` are Prefect's deprecated mirrors: kept for the wire, never read by rules.
 */
export interface FlowRunPolicy {
  maxRetries: number;
  retryDelaySeconds: number;
  retries: number | null;
  retryDelay: number | null;
  /** A set on the wire (`pause_keys` array); kept unique here. */
  pauseKeys: string[];
  resuming: boolean;
  retryType: FlowRetryType | null;
}

export type FlowRetryType = 'in_process' | 'reschedule';

/** A task run's `empirical_policy` (spec-api §2.1 TaskRunPolicy). */
export interface TaskRunPolicy {
  maxRetries: number;
  retryDelaySeconds: number;
  retries: number | null;
  /** Seconds, or one delay per retry (at most 50 entries). */
  retryDelay: number | number[] | null;
  retryJitterFactor: number | null;
}

export function defaultFlowRunPolicy(): FlowRunPolicy {
  return {
    maxRetries: 0,
    retryDelaySeconds: 0,
    retries: null,
    retryDelay: null,
    pauseKeys: [],
    resuming: false,
    retryType: null,
  };
}

export function defaultTaskRunPolicy(): TaskRunPolicy {
  return { maxRetries: 0, retryDelaySeconds: 0, retries: null, retryDelay: null, retryJitterFactor: null };
}

export function copyFlowRunPolicy(policy: FlowRunPolicy): FlowRunPolicy {
  return { ...policy, pauseKeys: [...policy.pauseKeys] };
}

export function copyTaskRunPolicy(policy: TaskRunPolicy): TaskRunPolicy {
  return {
    ...policy,
    retryDelay: Array.isArray(policy.retryDelay) ? [...policy.retryDelay] : policy.retryDelay,
  };
}

export function flowRunPolicyToWire(policy: FlowRunPolicy) {
  return {
    max_retries: policy.maxRetries,
    retry_delay_seconds: policy.retryDelaySeconds,
    retries: policy.retries,
    retry_delay: policy.retryDelay,
    pause_keys: [...policy.pauseKeys],
    resuming: policy.resuming,
    retry_type: policy.retryType,
  };
}

export function taskRunPolicyToWire(policy: TaskRunPolicy) {
  return {
    max_retries: policy.maxRetries,
    retry_delay_seconds: policy.retryDelaySeconds,
    retries: policy.retries,
    retry_delay: Array.isArray(policy.retryDelay) ? [...policy.retryDelay] : policy.retryDelay,
    retry_jitter_factor: policy.retryJitterFactor,
  };
}

/**
 * Reads a FlowRunPolicy from its JSON (request body or jsonb column). Like Prefect, a non-zero
 * deprecated `max_retries` / `retry_delay_seconds` fills an absent or zero `retries` /
 * `retry_delay`. Throws RangeError naming the field on a badly typed value.
 */
export function flowRunPolicyFromWire(wire: unknown): FlowRunPolicy {
  const source = asObject(wire, 'empirical_policy');
  const policy = defaultFlowRunPolicy();
  policy.maxRetries = readNumber(source, 'max_retries') ?? 0;
  policy.retryDelaySeconds = readNumber(source, 'retry_delay_seconds') ?? 0;
  policy.retries = readNumber(source, 'retries');
  policy.retryDelay = readNumber(source, 'retry_delay');
  const pauseKeys = source['pause_keys'];
  if (pauseKeys != null) {
    if (!Array.isArray(pauseKeys) || pauseKeys.some((k) => typeof k !== 'string')) {
      throw new RangeError('empirical_policy.pause_keys must be a list of strings');
    }
    policy.pauseKeys = [...new Set(pauseKeys as string[])];
  }
  const resuming = source['resuming'];
  if (resuming != null) {
    const flag = laxBool(resuming);
    if (!flag.ok) throw new RangeError('empirical_policy.resuming must be a boolean');
    policy.resuming = flag.value;
  }
  const retryType = source['retry_type'];
  if (retryType != null) {
    if (retryType !== 'in_process' && retryType !== 'reschedule') {
      throw new RangeError("empirical_policy.retry_type must be 'in_process', 'reschedule' or null");
    }
    policy.retryType = retryType;
  }
  if (!policy.retries && policy.maxRetries !== 0) policy.retries = policy.maxRetries;
  if (!policy.retryDelay && policy.retryDelaySeconds !== 0) policy.retryDelay = policy.retryDelaySeconds;
  return policy;
}

/** Reads a TaskRunPolicy from its JSON; see `flowRunPolicyFromWire` for the deprecated fields. */
export function taskRunPolicyFromWire(wire: unknown): TaskRunPolicy {
  const source = asObject(wire, 'empirical_policy');
  const policy = defaultTaskRunPolicy();
  policy.maxRetries = readNumber(source, 'max_retries') ?? 0;
  policy.retryDelaySeconds = readNumber(source, 'retry_delay_seconds') ?? 0;
  policy.retries = readNumber(source, 'retries');
  const retryDelay = source['retry_delay'];
  if (Array.isArray(retryDelay)) {
    const delays = retryDelay.map((d: unknown) => laxFloat(d));
    if (delays.some((d) => !d.ok || !Number.isFinite(d.value))) {
      throw new RangeError('empirical_policy.retry_delay must be a number or a list of numbers');
    }
    if (retryDelay.length > 50) {
      throw new RangeError('Can not configure more than 50 retry delays per task.');
    }
    policy.retryDelay = delays.map((d) => (d.ok ? d.value : 0));
  } else {
    policy.retryDelay = readNumber(source, 'retry_delay');
  }
  policy.retryJitterFactor = readNumber(source, 'retry_jitter_factor');
  if (policy.retryJitterFactor !== null && policy.retryJitterFactor < 0) {
    throw new RangeError('empirical_policy.retry_jitter_factor must be non-negative');
  }
  const hasDelay = Array.isArray(policy.retryDelay) ? policy.retryDelay.length > 0 : !!policy.retryDelay;
  if (!policy.retries && policy.maxRetries !== 0) policy.retries = policy.maxRetries;
  if (!hasDelay && policy.retryDelaySeconds !== 0) policy.retryDelay = policy.retryDelaySeconds;
  return policy;
}

function asObject(wire: unknown, what: string): Record<string, unknown> {
  if (wire == null) return {};
  if (typeof wire !== 'object' || Array.isArray(wire)) throw new RangeError(`${what} must be an object`);
  return wire as Record<string, unknown>;
}

function readNumber(source: Record<string, unknown>, key: string): number | null {
  const value = source[key];
  if (value == null) return null;
  // pydantic's lax int/float: "2", 2.0 and true are numbers too.
  const number = laxFloat(value);
  if (!number.ok || !Number.isFinite(number.value)) {
    throw new RangeError(`empirical_policy.${key} must be a number`);
  }
  return number.value;
}
