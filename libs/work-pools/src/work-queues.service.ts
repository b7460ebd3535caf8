import { Injectable } from '@nestjs/common';
import { Instant } from '@orrery/domain';
import { OutboxPublisher } from '@orrery/outbox';
import {
  DEFAULT_AGENT_WORK_POOL_NAME,
  DEFAULT_AGENT_WORK_POOL_TYPE,
  type WorkPoolRecord,
  WorkPoolRepository,
  type WorkQueueChanges,
  type WorkQueueCreateInput,
  type WorkQueueRecord,
  WorkQueueRepository,
  type WorkQueueStatus,
} from '@orrery/persistence';
import {
  changesPayload,
  workPoolLifecycleEvent,
  workQueueLifecycleEvent,
  workQueueStatusEvent,
} from '@orrery/events';

/** A queue polled this recently is READY again when unpaused (upstream's 60 s poll timeout). */
const POLL_TIMEOUT_SECONDS = 60;

export type QueueCreateOutcome =
  { readonly queue: WorkQueueRecord } | { readonly missingPool: string } | { readonly conflict: true };

export type QueueDeleteOutcome = 'deleted' | 'missing' | 'default-queue';

/**
 * Work queue writes (spec-api-orchestration §2.3, §6.3 queue status machine) with their
 * `prefect.work-queue.*` events in the same transaction (outbox).
 */
@Injectable()
export class WorkQueuesService {
  constructor(
    private readonly pools: WorkPoolRepository,
    private readonly queues: WorkQueueRepository,
    private readonly outbox: OutboxPublisher,
  ) {}

  /** `POST /work_pools/{pool}/queues`. */
  createInPool(poolName: string, queue: WorkQueueCreateInput): Promise<QueueCreateOutcome> {
    return this.outbox.transaction(async (manager, emit) => {
      const pool = await this.pools.getByName(poolName, manager);
      if (pool === null) return { missingPool: poolName };
      const created = await this.queues.create(manager, pool.id, queue);
      if (created === null) return { conflict: true };
      emit(workQueueLifecycleEvent('created', created, pool.type));
      return { queue: created };
    });
  }

  /** Legacy `POST /work_queues/`: the queue goes to `default-agent-pool`, created on first use. */
  createLegacy(queue: WorkQueueCreateInput): Promise<QueueCreateOutcome> {
    return this.outbox.transaction(async (manager, emit) => {
      let pool = await this.pools.getByName(DEFAULT_AGENT_WORK_POOL_NAME, manager);
      if (pool === null) {
        const createdPool = await this.pools.create(manager, {
          name: DEFAULT_AGENT_WORK_POOL_NAME,
          description: null,
          type: DEFAULT_AGENT_WORK_POOL_TYPE,
          baseJobTemplate: {},
          isPaused: false,
          concurrencyLimit: null,
          storageConfiguration: {},
        });
        if (createdPool !== null) emit(workPoolLifecycleEvent('created', createdPool));
        pool = await this.pools.getByName(DEFAULT_AGENT_WORK_POOL_NAME, manager);
        if (pool === null) throw new Error(`${DEFAULT_AGENT_WORK_POOL_NAME} vanished while being created`);
      }
      const created = await this.queues.create(manager, pool.id, queue);
      if (created === null) return { conflict: true };
      emit(workQueueLifecycleEvent('created', created, pool.type));
      return { queue: created };
    });
  }

  /**
   * Writes the present fields. Pausing ⇒ PAUSED; unpausing a PAUSED queue ⇒ READY when it was
   * polled within the last 60 s, else NOT_READY (with the status event). Returns false when the
   * queue is gone.
   */
  update(queue: WorkQueueRecord, changes: WorkQueueChanges): Promise<boolean> {
    return this.outbox.transaction(async (manager, emit) => {
      const before = await this.queues.lock(manager, queue.id);
      if (before === null) return false;
      let status: WorkQueueStatus | undefined;
      if (changes.isPaused === true) status = 'PAUSED';
      else if (changes.isPaused === false && before.status === 'PAUSED') {
        const lastPolled = changes.lastPolled !== undefined ? changes.lastPolled : before.lastPolled;
        const recent = lastPolled !== null && Instant.now().secondsSince(lastPolled) <= POLL_TIMEOUT_SECONDS;
        status = recent ? 'READY' : 'NOT_READY';
      }
      const effective = status !== undefined && status !== before.status ? { ...changes, status } : changes;
      await this.queues.update(manager, before, effective);
      const after = (await this.queues.getById(before.id, 'pool', manager))!;
      const poolType = await this.poolType(before.workPoolId);
      if (effective.status !== undefined) emit(workQueueStatusEvent(after, poolType, effective.status));
      const fields = ['name', 'description', 'is_paused', 'concurrency_limit', 'priority'];
      emit(
        workQueueLifecycleEvent(
          'updated',
          after,
          poolType,
          changesPayload(wire(before), wire(after), fields),
        ),
      );
      return true;
    });
  }

  /** A pool's default queue is never deleted. */
  delete(queue: WorkQueueRecord, pool: WorkPoolRecord): Promise<QueueDeleteOutcome> {
    if (pool.defaultQueueId === queue.id) return Promise.resolve('default-queue');
    return this.outbox.transaction(async (manager, emit) => {
      const deleted = await this.queues.delete(manager, queue.id);
      if (deleted === null) return 'missing';
      emit(workQueueLifecycleEvent('deleted', queue, pool.type));
      return 'deleted';
    });
  }

  private async poolType(workPoolId: string): Promise<string> {
    return (await this.pools.getById(workPoolId))?.type ?? DEFAULT_AGENT_WORK_POOL_TYPE;
  }
}

function wire(queue: WorkQueueRecord): Record<string, unknown> {
  return {
    name: queue.name,
    description: queue.description,
    is_paused: queue.isPaused,
    concurrency_limit: queue.concurrencyLimit,
    priority: queue.priority,
  };
}
