import type { Logger } from '@nestjs/common';
import type { ConcurrencyLeaseStorage, StoredLease } from '@orrery/lease-storage';
import type { ConcurrencyLease, ConcurrencyLeasePort, LeaseHolder } from '@orrery/orchestration';

/**
 * The lease store as one orchestrating transaction sees it (spec-api §8 item 2: lease writes are
 * outside the database transaction, so a rollback must not strand them). Leases created in the
 * transaction are revoked again if it rolls back (their slot increments rolled back with it);
 * revokes are held back until it commits (a rolled-back release keeps both its slot and its lease,
 * so the repossessor can still reclaim them). Within the transaction a revoked lease reads as gone.
 */
export class TransactionLeases implements ConcurrencyLeasePort {
  private readonly created: string[] = [];
  private readonly revoked = new Set<string>();

  constructor(
    private readonly store: ConcurrencyLeaseStorage,
    private readonly logger: Logger,
  ) {}

  async createLease(input: {
    resourceIds: string[];
    ttlSeconds: number;
    slots: number;
    holder: LeaseHolder | null;
  }): Promise<ConcurrencyLease> {
    const lease = await this.store.createLease(input);
    this.created.push(lease.id);
    return lease;
  }

  async readLease(leaseId: string): Promise<StoredLease | null> {
    if (this.revoked.has(leaseId)) return null;
    return this.store.readLease(leaseId);
  }

  renewLease(leaseId: string, ttlSeconds: number): Promise<boolean> {
    if (this.revoked.has(leaseId)) return Promise.resolve(false);
    return this.store.renewLease(leaseId, ttlSeconds);
  }

  revokeLease(leaseId: string): Promise<void> {
    this.revoked.add(leaseId);
    return Promise.resolve();
  }

  async listHoldersForLimit(limitId: string): Promise<{ leaseId: string; holder: LeaseHolder }[]> {
    return (await this.store.listHoldersForLimit(limitId)).filter((h) => !this.revoked.has(h.leaseId));
  }

  /** After commit: carry out the revokes. */
  async committed(): Promise<void> {
    await this.settle([...this.revoked], 'revoke a released lease');
  }

  /** After rollback: drop the leases this transaction created (their slots were never taken). */
  async rolledBack(): Promise<void> {
    await this.settle(
      this.created.filter((id) => !this.revoked.has(id)),
      'revoke a lease of a rolled-back transition',
    );
  }

  /** Best effort: a lease left behind expires and the repossessor reclaims it. */
  private async settle(ids: string[], what: string): Promise<void> {
    for (const id of ids) {
      try {
        await this.store.revokeLease(id);
      } catch (error) {
        this.logger.warn(`could not ${what} (${id}); it will expire: ${String(error)}`);
      }
    }
  }
}
