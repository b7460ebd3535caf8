import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { type Instant, uuid7 } from '@orrery/domain';
import { type Emit, OutboxPublisher } from '@orrery/outbox';
import {
  DeploymentRepository,
  type WorkerScheduledRun,
  WorkerRepository,
  type WorkPoolChanges,
  type WorkPoolCreateInput,
  type WorkPoolRecord,
  WorkPoolRepository,
  WorkPoolScheduledRunsRepository,
  type Session,
  type WorkPoolStatus,
  type WorkQueueRecord,
  WorkQueueRepository,
} from '@orrery/persistence';
import {
  changesPayload,
  deploymentEvent,
  workPoolLifecycleEvent,
  workPoolStatusEvent,
  workQueueLifecycleEvent,
  workQueueStatusEvent,
} from '@orrery/events';
import { PollQueueNotFoundError } from './poll-queue-not-found.error';

/** Upstream's bound on how many queues one poll looks at (every queue of a pool in practice). */
const MAX_QUEUES_PER_POOL = 10_000;

/**
 * Work pools and what workers do to them (spec-api-orchestration §6.2–6.3): writes, status
 * machine and heartbeats, each with its events in the same transaction (outbox); the poll, and its
 * side effects (queues and deployments polled / READY) done in the background after the response.
 */
@Injectable()
export class WorkPoolsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(WorkPoolsService.name);
  /** Poll side effects in flight, by pool and polled queues. */
  private readonly marking = new Map<string, Promise<void>>();

  constructor(
    private readonly pools: WorkPoolRepository,
    private readonly queues: WorkQueueRepository,
    private readonly workers: WorkerRepository,
    private readonly scheduledRuns: WorkPoolScheduledRunsRepository,
    private readonly deployments: DeploymentRepository,
    private readonly outbox: OutboxPublisher,
  ) {}

  /** Returns null when the name is taken. */
  create(pool: WorkPoolCreateInput): Promise<WorkPoolRecord | null> {
    return this.outbox.transaction(async (manager, emit) => {
      const created = await this.pools.create(manager, pool);
      if (created === null) return null;
      emit(workPoolLifecycleEvent('created', created));
      // Upstream also announces the new pool's status (none for `prefect-agent`, which has none).
      if (created.type !== 'prefect-agent') emit(workPoolStatusEvent(created, created.status, uuid7()));
      const defaultQueue = await this.queues.getById(created.defaultQueueId!, 'pool', manager);
      if (defaultQueue !== null) emit(workQueueLifecycleEvent('created', defaultQueue, created.type));
      return created;
    });
  }

  /**
   * Writes the present fields; `is_paused` drives the status: paused ⇒ PAUSED, unpaused ⇒ READY
   * with an ONLINE worker else NOT_READY (`prefect-agent` pools have no status). Returns false
   * when there is no such pool.
   */
  update(name: string, changes: WorkPoolChanges): Promise<boolean> {
    return this.outbox.transaction(async (manager, emit) => {
      const before = await this.pools.lockByName(manager, name);
      if (before === null) return false;
      const after = (await this.pools.update(manager, before.id, changes))!;
      if (changes.isPaused !== undefined && before.type !== 'prefect-agent') {
        const status: WorkPoolStatus = changes.isPaused
          ? 'PAUSED'
          : (await this.pools.hasOnlineWorker(manager, before.id))
            ? 'READY'
            : 'NOT_READY';
        if (status !== before.status) await this.transition(manager, emit, before, status);
      }
      const fields = [
        'description',
        'is_paused',
        'base_job_template',
        'concurrency_limit',
        'storage_configuration',
      ];
      emit(
        workPoolLifecycleEvent(
          'updated',
          after,
          changesPayload(wireFields(before), wireFields(after), fields),
        ),
      );
      return true;
    });
  }

  /** Returns false when there is no such pool. */
  delete(name: string): Promise<boolean> {
    return this.outbox.transaction(async (manager, emit) => {
      const deleted = await this.pools.deleteByName(manager, name);
      if (deleted !== null) emit(workPoolLifecycleEvent('deleted', deleted));
      return deleted !== null;
    });
  }

  /**
   * `POST /work_pools/{pool}/workers/heartbeat`: the worker is ONLINE now; a NOT_READY pool becomes
   * READY (a PAUSED one stays paused). Returns false when there is no such pool.
   */
  heartbeat(poolName: string, workerName: string, heartbeatIntervalSeconds: number | null): Promise<boolean> {
    return this.outbox.transaction(async (manager, emit) => {
      const pool = await this.pools.getByName(poolName, manager);
      if (pool === null) return false;
      await this.workers.heartbeat(manager, pool.id, workerName, heartbeatIntervalSeconds);
      // `prefect-agent` pools have no status upstream (null), so a heartbeat never moves them.
      if (pool.status === 'NOT_READY' && pool.type !== 'prefect-agent') {
        // Re-read under the lock: a concurrent heartbeat may have made it READY already.
        const locked = await this.pools.lockByName(manager, poolName);
        if (locked !== null && locked.status === 'NOT_READY')
          await this.transition(manager, emit, locked, 'READY');
      }
      return true;
    });
  }

  /**
   * `POST /work_pools/{name}/get_scheduled_flow_runs` for an existing pool: resolves the named
   * queues (404 on a missing one), selects the runs, then marks the polled queues and their
   * deployments polled/READY. The marking is best-effort, as upstream's background task: a failure
   * is logged and the worker still gets its runs.
   */
  async poll(
    pool: WorkPoolRecord,
    request: {
      workQueueNames: string[] | null;
      scheduledBefore: Instant | null;
      scheduledAfter: Instant | null;
      limit: number;
    },
  ): Promise<WorkerScheduledRun[]> {
    const all = await this.queues.listInPool(pool.id, { limit: MAX_QUEUES_PER_POOL, offset: 0 });
    let polled: WorkQueueRecord[] = all;
    if (request.workQueueNames !== null && request.workQueueNames.length > 0) {
      const byName = new Map(all.map((q) => [q.name, q]));
      polled = request.workQueueNames.map((queueName) => {
        const queue = byName.get(queueName);
        if (queue === undefined) throw new PollQueueNotFoundError(pool.name, queueName);
        return queue;
      });
    }
    return this.pollQueues(pool, polled, request);
  }

  /** Selects the runs of `polled` (queues of `pool`), then marks them polled (best-effort). */
  async pollQueues(
    pool: WorkPoolRecord,
    polled: readonly WorkQueueRecord[],
    request: {
      scheduledBefore: Instant | null;
      scheduledAfter: Instant | null;
      limit: number;
      legacy?: boolean;
      /** False for the UI's peeks (`x-prefect-ui: true`), which are not polls. */
      recordPoll?: boolean;
    },
  ): Promise<WorkerScheduledRun[]> {
    const runs =
      polled.length === 0
        ? []
        : await this.scheduledRuns.select({
            workPoolId: pool.id,
            workQueueIds: polled.map((q) => q.id),
            scheduledBefore: request.scheduledBefore,
            scheduledAfter: request.scheduledAfter,
            limit: request.limit,
            legacy: request.legacy === true,
          });
    if (request.recordPoll !== false) this.markPolledInBackground(pool, polled);
    return runs;
  }

  /**
   * Marks the polled queues and their deployments after the response, as upstream's background
   * task does: two more transactions (with a commit flush) stay off the worker's poll latency. A
   * mark of the same queues still in flight absorbs the new one (it stamps `last_polled` a moment
   * earlier, far inside the foreman's timeouts). Failures are logged; the next poll marks again.
   */
  private markPolledInBackground(pool: WorkPoolRecord, polled: readonly WorkQueueRecord[]): void {
    const key = `${pool.id}:${[...new Set(polled.map((q) => q.id))].sort().join(',')}`;
    if (polled.length === 0 || this.marking.has(key)) return;
    const done = this.markPolled(pool, polled)
      .catch((error: unknown) => {
        this.logger.warn(`marking the queues of work pool ${pool.name} polled failed: ${String(error)}`);
      })
      .finally(() => this.marking.delete(key));
    this.marking.set(key, done);
  }

  /** Lets marks in flight finish before the database connections close. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.marking.values()]);
  }

  /** Queues polled (NOT_READY → READY with an event) and their deployments READY, `updated` kept. */
  private markPolled(pool: WorkPoolRecord, polled: readonly WorkQueueRecord[]): Promise<void> {
    const ids = [...new Set(polled.map((q) => q.id))].sort();
    if (ids.length === 0) return Promise.resolve();
    const byId = new Map(polled.map((q) => [q.id, q]));
    return this.outbox.transaction(async (manager, emit) => {
      for (const id of await this.scheduledRuns.markQueuesPolled(manager, ids)) {
        emit(workQueueStatusEvent(byId.get(id)!, pool.type, 'READY'));
      }
      // READY + last_polled with `updated` kept, locked in id order (shared with the runner poll).
      const deploymentIds = await this.scheduledRuns.deploymentsOfQueues(manager, ids);
      for (const deployment of await this.deployments.markReady(manager, deploymentIds)) {
        emit(deploymentEvent('ready', deployment));
      }
    });
  }

  /** Moves a locked pool to `status` under a fresh event id that the event then carries. */
  private async transition(
    manager: Session,
    emit: Emit,
    pool: WorkPoolRecord,
    status: WorkPoolStatus,
  ): Promise<void> {
    const eventId = uuid7();
    await this.pools.setStatus(manager, pool.id, status, eventId);
    emit(workPoolStatusEvent(pool, status, eventId));
  }
}

function wireFields(pool: WorkPoolRecord): Record<string, unknown> {
  return {
    description: pool.description,
    is_paused: pool.isPaused,
    base_job_template: pool.baseJobTemplate,
    concurrency_limit: pool.concurrencyLimit,
    storage_configuration: pool.storageConfiguration,
  };
}
