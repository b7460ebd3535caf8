// repossessor (`monitor_expired_leases`): gives back the concurrency slots of leases whose holders
// stopped renewing them (a crashed flow or task engine), so a limit never stays full for good. One
// finder tick per PREFECT_SERVER_SERVICES_REPOSSESSOR_LOOP_SECONDS (15 s) across the cluster reads up
// to 100 expired lease ids; each lease is its own job keyed `revoke-expired-lease:{id}`.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectSettings, type Settings } from '@orrery/config';
import { Instant } from '@orrery/domain';
import { JobHandler, JobQueue, PeriodicJob } from '@orrery/jobs';
import { type ConcurrencyLeaseStorage, LEASE_STORAGE } from '@orrery/lease-storage';
import { ConcurrencyLimitStore, DATA_SOURCE } from '@orrery/persistence';
import type { DataSource } from 'typeorm';
import { recordServiceAction } from '@orrery/telemetry';

/** Expired leases looked at per tick (upstream's batch). */
export const REPOSSESSOR_BATCH = 100;
export const REVOKE_EXPIRED_LEASE_JOB = 'revoke-expired-lease';

export interface RevokeExpiredLeasePayload {
  readonly leaseId: string;
}

@Injectable()
export class RepossessorService {
  private readonly logger = new Logger('repossessor');

  constructor(
    @InjectSettings() private readonly settings: Settings,
    @Inject(LEASE_STORAGE) private readonly leases: ConcurrencyLeaseStorage,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
  ) {
    recordServiceAction('repossessor', 'revoke_lease', 0);
  }

  @PeriodicJob('repossessor', {
    everySeconds: (self: RepossessorService) => self.settings.server.services.repossessor.loopSeconds,
  })
  async monitorExpiredLeases(): Promise<void> {
    const expired = await this.leases.readExpiredLeaseIds(REPOSSESSOR_BATCH);
    if (expired.length > 0) this.logger.log(`Scheduling revocation of ${expired.length} expired leases`);
    for (const leaseId of expired) {
      const payload: RevokeExpiredLeasePayload = { leaseId };
      await this.jobs.enqueue(REVOKE_EXPIRED_LEASE_JOB, payload, {
        key: `${REVOKE_EXPIRED_LEASE_JOB}:${leaseId}`,
      });
    }
  }

  /**
   * Gives back the lease's slots on each of its limits (recording how long they were held) and
   * revokes it. Idempotent: a lease already gone only has its index entry cleared, and one renewed
   * since it was found is left alone.
   */
  @JobHandler(REVOKE_EXPIRED_LEASE_JOB, { concurrency: 4 })
  async revokeExpiredLease({ leaseId }: RevokeExpiredLeasePayload): Promise<void> {
    const lease = await this.leases.readLease(leaseId);
    if (lease === null) {
      await this.leases.revokeLease(leaseId);
      this.logger.warn(`Lease ${leaseId} should be revoked but was not found`);
      return;
    }
    const now = Instant.now();
    if (lease.expiration.isAfter(now)) return; // renewed meanwhile: still held
    this.logger.log(
      `Revoking lease ${leaseId} for ${lease.resourceIds.length} concurrency limits with ${lease.slots} slots`,
    );
    const waits = {
      tagWaitSeconds: this.settings.server.tasks.tagConcurrencySlotWaitSeconds,
      maximumWaitSeconds: this.settings.server.concurrency.maximumConcurrencySlotWaitSeconds,
    };
    await this.dataSource.transaction((manager) =>
      new ConcurrencyLimitStore(manager, waits).decrementActiveSlots(
        lease.resourceIds,
        lease.slots,
        now.secondsSince(lease.createdAt),
      ),
    );
    await this.leases.revokeLease(leaseId);
    recordServiceAction('repossessor', 'revoke_lease');
  }
}
