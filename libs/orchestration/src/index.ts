// Engine
export { orchestrate, type OrchestrateInput } from './engine/orchestrate';
export { OrchestrationContext } from './engine/orchestration.context';
export { RuleContext } from './engine/rule.context';
export { OrchestrationRule } from './engine/orchestration.rule';
export { UniversalTransform } from './engine/universal.transform';
export type { OrchestrationPolicy, RuleClass } from './engine/orchestration.policy';
export { ANY_STATE, TERMINAL, anyStateExcept, only, type StateTypeSet } from './engine/state-sets';
export {
  orchestrationResultToWire,
  responseDetailsToWire,
  type OrchestrationResult,
  type ResponseDetails,
  type SetStateStatus,
} from './engine/orchestration-result';
export {
  DEFAULT_ORCHESTRATION_SETTINGS,
  TAG_LEASE_TTL_SECONDS,
  type OrchestrationParameters,
  type OrchestrationSettings,
} from './engine/orchestration-parameters';
export { OrchestrationError } from './engine/orchestration.error';
export { OrchestrationObjectNotFoundError } from './engine/object-not-found.error';
export {
  copyRun,
  diffRun,
  MUTABLE_RUN_FIELDS,
  type CreatedBy,
  type FlowRunSnapshot,
  type MutableRunField,
  type RunKind,
  type RunSnapshot,
  type RunSnapshotOf,
  type TaskRunSnapshot,
} from './engine/run-snapshot';
export type * from './engine/orchestration.ports';

// Policies
export { CORE_FLOW_POLICY } from './policies/core-flow.policy';
export { MINIMAL_FLOW_POLICY } from './policies/minimal-flow.policy';
export { MARK_LATE_RUNS_POLICY } from './policies/mark-late-runs.policy';
export { CORE_TASK_POLICY } from './policies/core-task.policy';
export { MINIMAL_TASK_POLICY } from './policies/minimal-task.policy';
export { BACKGROUND_TASK_POLICY } from './policies/background-task.policy';
export { GLOBAL_FLOW_POLICY } from './policies/global-flow.policy';
export { GLOBAL_TASK_POLICY } from './policies/global-task.policy';
export { selectPolicy } from './policies/select-policy';

// Events
export {
  flowRunStateChangeEvent,
  statePayload,
  type FlowRunStateChangeEvent,
} from './events/flow-run-state-event';

// Helpers
export { estimatedRunTime, estimatedStartTimeDelta, type RunTimingFields } from './support/computed-fields';
export { clampedPoissonInterval, poissonInterval, type RandomSource } from './support/poisson';
export {
  hasPersistedResult,
  isPersistedResult,
  truncatedTo,
  TRUNCATE_STATE_MESSAGES_AT,
} from './support/state-helpers';
export {
  apiVersionAtLeast,
  clientVersionAtLeast,
  clientVersionFromUserAgent,
  compareApiVersions,
  compareClientVersions,
  MIN_CLIENT_VERSION_FOR_CONCURRENCY_LIMIT_LEASING,
  PAUSE_AWARE_API_VERSION,
  parseApiVersion,
  parseClientVersion,
  TASK_RETRY_AWARE_API_VERSION,
  WORKER_VERSIONS_THAT_MANAGE_DEPLOYMENT_CONCURRENCY,
  type ApiVersion,
  type ClientVersion,
} from './support/versions';

// Adapters and test doubles
export { InMemoryOrchestrationPorts } from './testing/in-memory-orchestration.ports';
export { flowRunFixture, stateFixture, taskRunFixture } from './testing/run-fixtures';
export {
  activeSlotsAfterDecay,
  activeSlotsAfterRelease,
  averageOccupancyAfterRelease,
  canTakeSlots,
  deniedSlotsAfterDecay,
  lockedRetryAfterSeconds,
  maxSlotWaitSeconds,
  MINIMUM_OCCUPANCY_SECONDS_PER_SLOT,
  OCCUPANCY_SAMPLES_MULTIPLIER,
  slotRequestError,
  type SlotLimitRow,
} from './support/concurrency-math';
