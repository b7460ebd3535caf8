import type { Instant } from '@orrery/domain';
import type { ConcurrencyLease, ConcurrencyLeasePort, LeaseHolder } from '@orrery/orchestration';

/** A stored concurrency lease: the orchestration port's view plus when it was taken (for occupancy). */
export interface StoredLease extends ConcurrencyLease {
  createdAt: Instant;
}

export interface CreateLeaseInput {
  resourceIds: string[];
  ttlSeconds: number;
  slots: number;
  holder: LeaseHolder | null;
}

/**
 * Concurrency leases (spec-services-events-ha §6.2, upstream `ConcurrencyLeaseStorage`). A lease
 * names the v2 limits (`resourceIds`) it holds `slots` on, until `expiration`; the repossessor gives
 * back the slots of expired ones. Create, renew and revoke are atomic (the lease, the expiration
 * index and the per-limit holder index change together).
 */
export interface ConcurrencyLeaseStorage extends ConcurrencyLeasePort {
  createLease(input: CreateLeaseInput): Promise<StoredLease>;
  /** The lease, expired or not, until it is revoked. */
  readLease(leaseId: string): Promise<StoredLease | null>;
  /**
   * Moves the expiration to now + ttl. False when the lease is gone (revoked or reclaimed); an
   * expired lease the repossessor has not reclaimed yet is still renewed, as upstream does.
   */
  renewLease(leaseId: string, ttlSeconds: number): Promise<boolean>;
  /** Idempotent. */
  revokeLease(leaseId: string): Promise<void>;
  /** Ids of unexpired leases, soonest expiry first. */
  readActiveLeaseIds(limit: number, offset: number): Promise<string[]>;
  /** Ids of expired leases (including index entries of leases already gone), oldest expiry first. */
  readExpiredLeaseIds(limit: number): Promise<string[]>;
  /** Holders of unexpired leases on this limit (leases created without a holder are not listed). */
  listHoldersForLimit(limitId: string): Promise<{ leaseId: string; holder: LeaseHolder }[]>;
}

/** Nest injection token of the process's ConcurrencyLeaseStorage. */
export const LEASE_STORAGE = Symbol('LEASE_STORAGE');

/** Upstream's lease TTL for v1 tag slots (the v1 client cannot renew): about 100 years. */
export const V1_LEASE_TTL_SECONDS = 100 * 365 * 24 * 3600;
