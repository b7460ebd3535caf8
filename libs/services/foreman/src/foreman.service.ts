// foreman: the health check of workers, work pools, deployments and work queues
// (spec-services-events-ha §2.2 `monitor_worker_health`, spec-api-orchestration §6.3 status
// machines). One tick per PREFECT_SERVER_SERVICES_FOREMAN_LOOP_SECONDS (15 s) across the cluster
// runs four steps in order: silent workers OFFLINE; READY pools without an ONLINE worker NOT_READY;
// READY deployments not polled within the timeout NOT_READY; READY queues likewise. Every status
// change goes out with its event through the outbox of the transaction that made it. The way back
// to READY is in the API (heartbeat, poll).
import { Injectable, Logger } from '@nestjs/common';
import { InjectSettings, type Settings } from '@orrery/config';
import { Instant, uuid7 } from '@orrery/domain';
import { deploymentEvent, workPoolStatusEvent, workQueueStatusEvent } from '@orrery/events';
import { PeriodicJob } from '@orrery/jobs';
import { type Emit, OutboxPublisher } from '@orrery/outbox';
import { ForemanRepository } from '@orrery/persistence';
import type { EntityManager } from 'typeorm';
import { recordServiceAction } from '@orrery/telemetry';

/** Rows changed per transaction; a step repeats until a batch comes back short. */
export const FOREMAN_BATCH = 500;

/** What one tick changed. */
export interface ForemanTick {
  readonly workersOffline: number;
  readonly poolsNotReady: number;
  readonly deploymentsNotReady: number;
  readonly queuesNotReady: number;
}

@Injectable()
export class ForemanService {
  private readonly logger = new Logger('foreman');

  constructor(
    @InjectSettings() private readonly settings: Settings,
    private readonly repository: ForemanRepository,
    private readonly outbox: OutboxPublisher,
  ) {}

  private get config(): Settings['server']['services']['foreman'] {
    return this.settings.server.services.foreman;
  }

  @PeriodicJob('foreman', {
    everySeconds: (self: ForemanService) => self.settings.server.services.foreman.loopSeconds,
  })
  async monitorWorkerHealth(): Promise<ForemanTick> {
    const tick: ForemanTick = {
      workersOffline: await this.markWorkersOffline(),
      poolsNotReady: await this.markPoolsNotReady(),
      deploymentsNotReady: await this.markDeploymentsNotReady(),
      queuesNotReady: await this.markWorkQueuesNotReady(),
    };
    recordServiceAction('foreman', 'mark_worker_offline', tick.workersOffline);
    recordServiceAction('foreman', 'mark_pool_not_ready', tick.poolsNotReady);
    recordServiceAction('foreman', 'mark_deployment_not_ready', tick.deploymentsNotReady);
    recordServiceAction('foreman', 'mark_work_queue_not_ready', tick.queuesNotReady);
    if (Object.values(tick).some((n) => n > 0)) this.logger.log(`foreman tick: ${JSON.stringify(tick)}`);
    return tick;
  }

  /** Step 1: one UPDATE, no event (as upstream). */
  markWorkersOffline(): Promise<number> {
    return this.repository.markWorkersOffline(
      this.config.inactivityHeartbeatMultiple,
      this.config.fallbackHeartbeatIntervalSeconds,
    );
  }

  /** Step 2: `prefect.work-pool.not-ready` under the id stored as `last_status_event_id`. */
  markPoolsNotReady(): Promise<number> {
    return this.inBatches(async (manager, emit) => {
      const pools = await this.repository.lockUnstaffedPools(manager, FOREMAN_BATCH);
      const now = Instant.now();
      const transitions = pools.map((pool) => ({ pool, eventId: uuid7() }));
      await this.repository.markPoolsNotReady(
        manager,
        transitions.map((t) => ({ id: t.pool.id, eventId: t.eventId })),
      );
      for (const { pool, eventId } of transitions) emit(workPoolStatusEvent(pool, 'NOT_READY', eventId, now));
      return pools.length;
    });
  }

  /** Step 3: `prefect.deployment.not-ready`; `updated` is kept. */
  markDeploymentsNotReady(): Promise<number> {
    const threshold = Instant.now().minusSeconds(this.config.deploymentLastPolledTimeoutSeconds);
    return this.inBatches(async (manager, emit) => {
      const deployments = await this.repository.markDeploymentsNotReady(manager, threshold, FOREMAN_BATCH);
      for (const deployment of deployments) emit(deploymentEvent('not-ready', deployment));
      return deployments.length;
    });
  }

  /** Step 4: `prefect.work-queue.not-ready`, related to the queue's pool. */
  markWorkQueuesNotReady(): Promise<number> {
    const threshold = Instant.now().minusSeconds(this.config.workQueueLastPolledTimeoutSeconds);
    return this.inBatches(async (manager, emit) => {
      const queues = await this.repository.markWorkQueuesNotReady(manager, threshold, FOREMAN_BATCH);
      for (const queue of queues) emit(workQueueStatusEvent(queue, queue.workPoolType, 'NOT_READY'));
      return queues.length;
    });
  }

  /** Runs `batch` in its own transaction until it changes fewer than FOREMAN_BATCH rows. */
  private async inBatches(batch: (manager: EntityManager, emit: Emit) => Promise<number>): Promise<number> {
    let total = 0;
    for (;;) {
      const changed = await this.outbox.transaction(batch);
      total += changed;
      if (changed < FOREMAN_BATCH) return total;
    }
  }
}
