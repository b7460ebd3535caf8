import { randomUUID } from 'node:crypto';
import { Instant } from '@orrery/domain';
import type { LeaseHolder } from '@orrery/orchestration';
import type { ConcurrencyLeaseStorage, CreateLeaseInput, StoredLease } from './lease-storage';

let processDefault: MemoryLeaseStorage | null = null;

/**
 * Leases in this process's memory: the embedded default (one process serves the API and every
 * service). Operations are synchronous under the hood, so each is atomic.
 */
export class MemoryLeaseStorage implements ConcurrencyLeaseStorage {
  private readonly leases = new Map<string, StoredLease>();
  /** Expiry (epoch ms) per lease id; may outlive its lease only if revoked concurrently (never here). */
  private readonly expirations = new Map<string, number>();

  constructor(private readonly clock: () => Instant = () => Instant.now()) {}

  /** The one in-memory store of this process, for code paths built without the Nest module. */
  static processDefault(): MemoryLeaseStorage {
    processDefault ??= new MemoryLeaseStorage();
    return processDefault;
  }

  createLease(input: CreateLeaseInput): Promise<StoredLease> {
    const now = this.clock();
    const lease: StoredLease = {
      id: randomUUID(),
      resourceIds: [...input.resourceIds],
      expiration: now.plusSeconds(input.ttlSeconds),
      createdAt: now,
      slots: input.slots,
      holder: input.holder === null ? null : { ...input.holder },
    };
    this.leases.set(lease.id, lease);
    this.expirations.set(lease.id, lease.expiration.epochMillis);
    return Promise.resolve(copy(lease));
  }

  readLease(leaseId: string): Promise<StoredLease | null> {
    const lease = this.leases.get(leaseId);
    return Promise.resolve(lease === undefined ? null : copy(lease));
  }

  renewLease(leaseId: string, ttlSeconds: number): Promise<boolean> {
    const lease = this.leases.get(leaseId);
    if (lease === undefined) {
      this.expirations.delete(leaseId);
      return Promise.resolve(false);
    }
    lease.expiration = this.clock().plusSeconds(ttlSeconds);
    this.expirations.set(leaseId, lease.expiration.epochMillis);
    return Promise.resolve(true);
  }

  revokeLease(leaseId: string): Promise<void> {
    this.leases.delete(leaseId);
    this.expirations.delete(leaseId);
    return Promise.resolve();
  }

  readActiveLeaseIds(limit: number, offset: number): Promise<string[]> {
    const now = this.clock().epochMillis;
    return Promise.resolve(
      this.byExpiry()
        .filter(([, at]) => at > now)
        .slice(offset, offset + limit)
        .map(([id]) => id),
    );
  }

  readExpiredLeaseIds(limit: number): Promise<string[]> {
    const now = this.clock().epochMillis;
    return Promise.resolve(
      this.byExpiry()
        .filter(([, at]) => at <= now)
        .slice(0, limit)
        .map(([id]) => id),
    );
  }

  listHoldersForLimit(limitId: string): Promise<{ leaseId: string; holder: LeaseHolder }[]> {
    const now = this.clock().epochMillis;
    const holders: { leaseId: string; holder: LeaseHolder }[] = [];
    for (const lease of this.leases.values()) {
      if (lease.holder === null || !lease.resourceIds.includes(limitId)) continue;
      if ((this.expirations.get(lease.id) ?? 0) <= now) continue;
      holders.push({ leaseId: lease.id, holder: { ...lease.holder } });
    }
    return Promise.resolve(holders);
  }

  private byExpiry(): [string, number][] {
    return [...this.expirations.entries()].sort((a, b) => a[1] - b[1]);
  }
}

function copy(lease: StoredLease): StoredLease {
  return {
    ...lease,
    resourceIds: [...lease.resourceIds],
    holder: lease.holder === null ? null : { ...lease.holder },
  };
}
