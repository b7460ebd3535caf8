import { Instant, type State } from '@orrery/domain';
import type {
  BackgroundTaskQueuePort,
  ClockPort,
  ConcurrencyLease,
  ConcurrencyLeasePort,
  ConcurrencyLimitView,
  ConcurrencyOptions,
  ConcurrencySlotsPort,
  DeploymentConcurrencyPort,
  EnclosingFlowRun,
  FlowRunEventsPort,
  FlowRunLookupPort,
  FlowRunRelatedObjects,
  IdPort,
  LeaseHolder,
  LegacyTagLimitView,
  OrchestrationPorts,
  ParentTaskRunPort,
  StateStorePort,
  TagConcurrencyPort,
  TaskCachePort,
} from '../engine/orchestration.ports';
import type { RunKind, TaskRunSnapshot } from '../engine/run-snapshot';
import type { FlowRunStateChangeEvent } from '../events/flow-run-state-event';

/**
 * Every orchestration port in memory, with a settable clock, predictable ids and a fixed random
 * source: what unit tests of rules, policies and their callers run against. Everything a rule did
 * is inspectable afterwards (written states, emitted events, slots, leases, queue pushes).
 */
export class InMemoryOrchestrationPorts implements OrchestrationPorts {
  time = Instant.parse('2026-01-01T00:00:00Z');
  randomValue = 0.5;
  private idCounter = 0;

  /** Written states per run id, in insertion order. */
  readonly writtenStates = new Map<string, State[]>();
  insertError: unknown = null;
  retryableErrors = new Set<unknown>();
  readonly cacheEntries: { cacheKey: string; cacheExpiration: Instant | null; taskRunStateId: string }[] = [];
  readonly enclosingFlowRuns = new Map<string, EnclosingFlowRun>();
  readonly legacyTaskRetries: { flowRunId: string; scheduledTime: Instant }[] = [];
  readonly parentTaskRunStates: { taskRunId: string; state: State }[] = [];
  readonly deploymentRows = new Map<
    string,
    { concurrencyLimitId: string | null; concurrencyOptions: ConcurrencyOptions | null }
  >();
  /** `concurrency_limit_v2` rows by id. */
  readonly limits = new Map<string, ConcurrencyLimitView>();
  readonly legacyLimits = new Map<string, LegacyTagLimitView>();
  readonly leaseRows = new Map<string, ConcurrencyLease>();
  related: FlowRunRelatedObjects = {
    flow: null,
    deployment: null,
    workQueue: null,
    workPool: null,
    parentTaskRun: null,
  };
  readonly emitted: FlowRunStateChangeEvent[] = [];
  readonly enqueued: { taskRun: TaskRunSnapshot; retry: boolean }[] = [];

  readonly clock: ClockPort = { now: () => this.time };

  readonly ids: IdPort = {
    uuid7: () => this.nextId('7'),
    uuid4: () => this.nextId('4'),
  };

  readonly random = (): number => this.randomValue;

  readonly states: StateStorePort = {
    flowRunStateExistsAt: (flowRunId, timestamp) =>
      Promise.resolve((this.writtenStates.get(flowRunId) ?? []).some((s) => s.timestamp.equals(timestamp))),
    insertState: (_kind: RunKind, runId, _flowRunIdOfTask, state) => {
      if (this.insertError !== null) return Promise.reject(this.insertError);
      const list = this.writtenStates.get(runId) ?? [];
      list.push(state);
      this.writtenStates.set(runId, list);
      return Promise.resolve();
    },
    isRetryableError: (error) => this.retryableErrors.has(error),
  };

  readonly taskCache: TaskCachePort = {
    findCachedState: (cacheKey, now) => {
      const live = this.cacheEntries.filter(
        (e) => e.cacheKey === cacheKey && (e.cacheExpiration === null || e.cacheExpiration.isAfter(now)),
      );
      const newest = live[live.length - 1];
      if (newest === undefined) return Promise.resolve(null);
      return Promise.resolve(this.findState(newest.taskRunStateId));
    },
    insertCacheEntry: (entry) => {
      this.cacheEntries.push(entry);
      return Promise.resolve();
    },
  };

  readonly flowRuns: FlowRunLookupPort = {
    readFlowRun: (flowRunId) => Promise.resolve(this.enclosingFlowRuns.get(flowRunId) ?? null),
    retryFailedTaskRunsOfFlowRun: (flowRunId, scheduledTime) => {
      this.legacyTaskRetries.push({ flowRunId, scheduledTime });
      return Promise.resolve();
    },
  };

  readonly parentTaskRuns: ParentTaskRunPort = {
    forceSetTaskRunState: (taskRunId, state) => {
      this.parentTaskRunStates.push({ taskRunId, state });
      return Promise.resolve();
    },
  };

  readonly deployments: DeploymentConcurrencyPort = {
    readDeployment: (deploymentId) => {
      const row = this.deploymentRows.get(deploymentId);
      if (row === undefined) return Promise.resolve(null);
      const limit =
        row.concurrencyLimitId === null ? null : (this.limits.get(row.concurrencyLimitId) ?? null);
      return Promise.resolve({
        id: deploymentId,
        concurrencyLimitId: row.concurrencyLimitId,
        globalConcurrencyLimit: limit === null ? null : { ...limit },
        concurrencyOptions: row.concurrencyOptions,
      });
    },
  };

  readonly tagLimits: TagConcurrencyPort = {
    readLimitsByName: (names) =>
      Promise.resolve([...this.limits.values()].filter((l) => names.includes(l.name)).map((l) => ({ ...l }))),
    readLegacyLimits: (tags) =>
      Promise.resolve(
        [...this.legacyLimits.values()]
          .filter((l) => tags.includes(l.tag))
          .map((l) => ({ ...l, activeSlots: [...l.activeSlots] })),
      ),
    writeLegacyActiveSlots: (tag, activeSlots) => {
      const row = this.legacyLimits.get(tag);
      if (row !== undefined) row.activeSlots = [...activeSlots];
      return Promise.resolve();
    },
  };

  readonly slots: ConcurrencySlotsPort = {
    incrementActiveSlots: (limitIds, slots) => {
      const rows = limitIds.map((id) => this.limits.get(id));
      if (rows.some((r) => r === undefined || !r.active || r.activeSlots + slots > r.limit)) {
        return Promise.resolve(false);
      }
      for (const row of rows) row!.activeSlots += slots;
      return Promise.resolve(true);
    },
    decrementActiveSlots: (limitIds, slots) => {
      const rows = limitIds.map((id) => this.limits.get(id));
      if (rows.some((r) => r === undefined)) return Promise.resolve(false);
      for (const row of rows) row!.activeSlots = Math.max(0, row!.activeSlots - slots);
      return Promise.resolve(true);
    },
  };

  readonly leases: ConcurrencyLeasePort = {
    createLease: ({ resourceIds, ttlSeconds, slots, holder }) => {
      const lease: ConcurrencyLease = {
        id: this.nextId('4'),
        resourceIds: [...resourceIds],
        expiration: this.time.plusSeconds(ttlSeconds),
        slots,
        holder,
      };
      this.leaseRows.set(lease.id, lease);
      return Promise.resolve({ ...lease });
    },
    readLease: (leaseId) => {
      const lease = this.leaseRows.get(leaseId);
      return Promise.resolve(lease === undefined ? null : { ...lease });
    },
    renewLease: (leaseId, ttlSeconds) => {
      const lease = this.leaseRows.get(leaseId);
      if (lease === undefined || !lease.expiration.isAfter(this.time)) return Promise.resolve(false);
      lease.expiration = this.time.plusSeconds(ttlSeconds);
      return Promise.resolve(true);
    },
    revokeLease: (leaseId) => {
      this.leaseRows.delete(leaseId);
      return Promise.resolve();
    },
    listHoldersForLimit: (limitId) =>
      Promise.resolve(
        [...this.leaseRows.values()]
          .filter((l) => l.holder !== null && l.resourceIds.includes(limitId))
          .map((l) => ({ leaseId: l.id, holder: l.holder as LeaseHolder })),
      ),
  };

  readonly events: FlowRunEventsPort = {
    readRelatedObjects: () => Promise.resolve(this.related),
    emit: (event) => {
      this.emitted.push(event);
      return Promise.resolve();
    },
  };

  readonly taskQueue: BackgroundTaskQueuePort = {
    enqueue: (taskRun, { retry }) => {
      this.enqueued.push({ taskRun, retry });
      return Promise.resolve();
    },
  };

  /** Moves the clock. */
  advance(seconds: number): void {
    this.time = this.time.plusSeconds(seconds);
  }

  /** Adds a v2 concurrency limit row and returns its id. */
  addLimit(name: string, limit: number, options: Partial<ConcurrencyLimitView> = {}): string {
    const id = options.id ?? this.nextId('4');
    this.limits.set(id, {
      id,
      name,
      limit,
      active: true,
      activeSlots: 0,
      avgSlotOccupancySeconds: 2,
      ...options,
    });
    return id;
  }

  /** Adds a deployment, optionally with a `deployment:<id>` limit; returns the limit id (or null). */
  addDeployment(
    deploymentId: string,
    limit: number | null = null,
    concurrencyOptions: ConcurrencyOptions | null = null,
  ): string | null {
    const limitId = limit === null ? null : this.addLimit(`deployment:${deploymentId}`, limit);
    this.deploymentRows.set(deploymentId, { concurrencyLimitId: limitId, concurrencyOptions });
    return limitId;
  }

  findState(stateId: string): State | null {
    for (const list of this.writtenStates.values()) {
      const found = list.find((s) => s.id === stateId);
      if (found !== undefined) return found;
    }
    return null;
  }

  private nextId(version: '4' | '7'): string {
    this.idCounter += 1;
    const tail = this.idCounter.toString(16).padStart(12, '0');
    return `00000000-0000-${version}000-8000-${tail}`;
  }
}
