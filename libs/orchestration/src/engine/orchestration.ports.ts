import type { Instant, State } from '@orrery/domain';
import type { FlowRunStateChangeEvent } from '../events/flow-run-state-event';
import type { RunKind, TaskRunSnapshot } from './run-snapshot';

/**
 * Everything a rule reads or changes outside the run row goes through these ports. The persistence
 * layer implements them inside the same database transaction that holds the run row lock
 * (`SELECT … FOR UPDATE`); unit tests use `InMemoryOrchestrationPorts`. Lease-store and event
 * publication are outside the database: their adapters must tolerate a later rollback (the rules'
 * cleanup hooks release what they took, and events should be published after commit).
 */
export interface OrchestrationPorts {
  readonly clock: ClockPort;
  readonly ids: IdPort;
  /** A uniform number in [0, 1): the jitter of retry and concurrency-slot delays. */
  readonly random: () => number;
  readonly states: StateStorePort;
  readonly taskCache: TaskCachePort;
  readonly flowRuns: FlowRunLookupPort;
  readonly parentTaskRuns: ParentTaskRunPort;
  readonly deployments: DeploymentConcurrencyPort;
  readonly tagLimits: TagConcurrencyPort;
  readonly slots: ConcurrencySlotsPort;
  readonly leases: ConcurrencyLeasePort;
  readonly events: FlowRunEventsPort;
  readonly taskQueue: BackgroundTaskQueuePort;
}

export interface ClockPort {
  now(): Instant;
}

export interface IdPort {
  /** Ids of states the engine mints (time-ordered). */
  uuid7(): string;
  /** Random ids (default pause keys). */
  uuid4(): string;
}

export interface StateStorePort {
  /** EnsureFlowRunStateTimestampIsUnique: does a `flow_run_state` with this (run, timestamp) exist? */
  flowRunStateExistsAt(flowRunId: string, timestamp: Instant): Promise<boolean>;
  /**
   * Validation (spec-api §4.1 item 7): insert the state row for the run. When `data` is non-null
   * and not `{"type": "unpersisted", …}`, also create the result artifact (taking `artifact_key`,
   * `artifact_type`, `artifact_description` out of the data) and set `result_artifact_id`. The run
   * row itself is written by the caller from `runChanges`.
   */
  insertState(kind: RunKind, runId: string, flowRunIdOfTask: string | null, state: State): Promise<void>;
  /**
   * True for errors the client should retry (lost connection, serialization failure, lock
   * timeout): the engine re-throws them instead of answering ABORT, so the API returns 503.
   */
  isRetryableError(error: unknown): boolean;
}

export interface TaskCachePort {
  /** The state of the newest `task_run_state_cache` row with this key whose expiration is null or > now. */
  findCachedState(cacheKey: string, now: Instant): Promise<State | null>;
  insertCacheEntry(entry: {
    cacheKey: string;
    cacheExpiration: Instant | null;
    taskRunStateId: string;
  }): Promise<void>;
}

/** The flow run a task run belongs to, as the task rules need it. */
export interface EnclosingFlowRun {
  id: string;
  runCount: number;
  state: State | null;
}

export interface FlowRunLookupPort {
  readFlowRun(flowRunId: string): Promise<EnclosingFlowRun | null>;
  /**
   * Legacy clients (API < 0.8.3) only: when a flow run retries, its FAILED task runs are force-set
   * to `AwaitingRetry(scheduled_time)` and their run_count reset to 0.
   */
  retryFailedTaskRunsOfFlowRun(flowRunId: string, scheduledTime: Instant): Promise<void>;
}

export interface ParentTaskRunPort {
  /**
   * UpdateSubflowParentTask: force-set (MinimalTaskPolicy + global transforms) the parent task
   * run's state to `state`, a fresh copy of the subflow's validated state with
   * `child_flow_run_id` set.
   */
  forceSetTaskRunState(taskRunId: string, state: State): Promise<void>;
}

export type CollisionStrategy = 'ENQUEUE' | 'CANCEL_NEW';

export interface ConcurrencyOptions {
  collisionStrategy: CollisionStrategy;
  gracePeriodSeconds: number | null;
}

/** A `concurrency_limit_v2` row as rules see it. */
export interface ConcurrencyLimitView {
  id: string;
  name: string;
  limit: number;
  active: boolean;
  activeSlots: number;
  avgSlotOccupancySeconds: number;
}

/** A deployment's concurrency configuration. */
export interface DeploymentConcurrencyView {
  id: string;
  concurrencyLimitId: string | null;
  globalConcurrencyLimit: ConcurrencyLimitView | null;
  concurrencyOptions: ConcurrencyOptions | null;
}

export interface DeploymentConcurrencyPort {
  /** null when the deployment does not exist. */
  readDeployment(deploymentId: string): Promise<DeploymentConcurrencyView | null>;
}

/** A legacy v1 `concurrency_limit` row. */
export interface LegacyTagLimitView {
  tag: string;
  concurrencyLimit: number;
  /** Task-run ids holding a slot. */
  activeSlots: string[];
}

export interface TagConcurrencyPort {
  /** The v2 limits with these names (`tag:<tag>`), active or not. */
  readLimitsByName(names: string[]): Promise<ConcurrencyLimitView[]>;
  /** The legacy v1 rows for these tags. */
  readLegacyLimits(tags: string[]): Promise<LegacyTagLimitView[]>;
  writeLegacyActiveSlots(tag: string, activeSlots: string[]): Promise<void>;
}

export interface ConcurrencySlotsPort {
  /**
   * Atomically take `slots` on every limit (`UPDATE … SET active_slots = active_slots + n WHERE
   * active_slots + n <= limit`), all or none. True when all were taken.
   */
  incrementActiveSlots(limitIds: string[], slots: number): Promise<boolean>;
  /**
   * Gives `slots` back on every limit (never below 0). False means the release failed; the server's
   * adapter answers true for limits deleted or deactivated since (nothing left to give back).
   */
  decrementActiveSlots(limitIds: string[], slots: number): Promise<boolean>;
}

export interface LeaseHolder {
  type: 'flow_run' | 'task_run' | 'deployment';
  id: string;
}

export interface ConcurrencyLease {
  id: string;
  resourceIds: string[];
  expiration: Instant;
  slots: number;
  holder: LeaseHolder | null;
}

export interface ConcurrencyLeasePort {
  createLease(input: {
    resourceIds: string[];
    ttlSeconds: number;
    slots: number;
    holder: LeaseHolder | null;
  }): Promise<ConcurrencyLease>;
  readLease(leaseId: string): Promise<ConcurrencyLease | null>;
  /**
   * False when the lease is gone (revoked, or reclaimed by the repossessor after expiring); an
   * expired lease not reclaimed yet still holds its slot and is renewed, as upstream.
   */
  renewLease(leaseId: string, ttlSeconds: number): Promise<boolean>;
  revokeLease(leaseId: string): Promise<void>;
  listHoldersForLimit(limitId: string): Promise<{ leaseId: string; holder: LeaseHolder }[]>;
}

/** The objects a flow run's state events name as related resources (spec-services §3.2). */
export interface FlowRunRelatedObjects {
  flow: { id: string; name: string; tags: string[] } | null;
  deployment: { id: string; name: string; tags: string[] } | null;
  workQueue: { id: string; name: string } | null;
  workPool: { id: string; name: string; type: string } | null;
  parentTaskRun: { id: string; name: string; tags: string[] } | null;
}

export interface FlowRunEventsPort {
  /** The related objects of a flow run (the adapter may cache them for 5 minutes). */
  readRelatedObjects(flowRunId: string): Promise<FlowRunRelatedObjects>;
  /** Publishes (ideally after commit) a `prefect.flow-run.<state name>` event. */
  emit(event: FlowRunStateChangeEvent): Promise<void>;
}

export interface BackgroundTaskQueuePort {
  /**
   * EnqueueScheduledTasks: push a deferred task run onto its task_key's queue (or retry queue).
   * `stateId` is the SCHEDULED state that queued it (lets the queue drop stale or duplicate entries).
   */
  enqueue(taskRun: TaskRunSnapshot, options: { retry: boolean; stateId?: string }): Promise<void>;
}
