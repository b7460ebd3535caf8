import { Instant } from '@orrery/domain';
import type { ConcurrencyLeaseStorage } from './lease-storage';

/** A clock the suite moves by hand, so expiry is tested without waiting. */
export class ManualClock {
  private current = Instant.parse('2030-01-01T00:00:00Z');

  readonly now = (): Instant => this.current;

  advance(seconds: number): void {
    this.current = this.current.plusSeconds(seconds);
  }
}

export interface LeaseStorageHarness {
  storage: ConcurrencyLeaseStorage;
  clock: ManualClock;
  close(): Promise<void>;
}

const LIMIT_A = '00000000-0000-4000-8000-00000000000a';
const LIMIT_B = '00000000-0000-4000-8000-00000000000b';
const RUN = '00000000-0000-4000-8000-000000000001';

/** One behaviour for every ConcurrencyLeaseStorage driver (memory and Redis). */
export function describeLeaseStorageContract(name: string, open: () => Promise<LeaseStorageHarness>): void {
  describe(`${name} lease storage (shared contract)`, () => {
    let h: LeaseStorageHarness;
    beforeEach(async () => {
      h = await open();
    });
    afterEach(() => h.close());

    it('creates a lease that reads back whole, with its holder listed on each of its limits', async () => {
      const lease = await h.storage.createLease({
        resourceIds: [LIMIT_A, LIMIT_B],
        ttlSeconds: 60,
        slots: 2,
        holder: { type: 'task_run', id: RUN },
      });
      expect(lease.expiration.equals(h.clock.now().plusSeconds(60))).toBe(true);
      const read = await h.storage.readLease(lease.id);
      expect(read).toMatchObject({ id: lease.id, resourceIds: [LIMIT_A, LIMIT_B], slots: 2 });
      expect(read?.holder).toEqual({ type: 'task_run', id: RUN });
      expect(read?.createdAt.equals(h.clock.now())).toBe(true);
      expect(read?.expiration.equals(lease.expiration)).toBe(true);
      for (const limit of [LIMIT_A, LIMIT_B]) {
        expect(await h.storage.listHoldersForLimit(limit)).toEqual([
          { leaseId: lease.id, holder: { type: 'task_run', id: RUN } },
        ]);
      }
      expect(await h.storage.readActiveLeaseIds(10, 0)).toEqual([lease.id]);
      expect(await h.storage.readExpiredLeaseIds(10)).toEqual([]);
    });

    it('does not list leases without a holder among the holders', async () => {
      const lease = await h.storage.createLease({
        resourceIds: [LIMIT_A],
        ttlSeconds: 60,
        slots: 1,
        holder: null,
      });
      expect((await h.storage.readLease(lease.id))?.holder).toBeNull();
      expect(await h.storage.listHoldersForLimit(LIMIT_A)).toEqual([]);
    });

    it('expires a lease: listed as expired, no longer active nor a holder, still readable until revoked', async () => {
      const lease = await h.storage.createLease({
        resourceIds: [LIMIT_A],
        ttlSeconds: 30,
        slots: 1,
        holder: { type: 'flow_run', id: RUN },
      });
      h.clock.advance(31);
      expect(await h.storage.readExpiredLeaseIds(10)).toEqual([lease.id]);
      expect(await h.storage.readActiveLeaseIds(10, 0)).toEqual([]);
      expect(await h.storage.listHoldersForLimit(LIMIT_A)).toEqual([]);
      expect((await h.storage.readLease(lease.id))?.id).toBe(lease.id);
    });

    it('renews a lease to now + ttl, taking it out of the expired ones', async () => {
      const lease = await h.storage.createLease({
        resourceIds: [LIMIT_A],
        ttlSeconds: 30,
        slots: 1,
        holder: null,
      });
      h.clock.advance(20);
      expect(await h.storage.renewLease(lease.id, 60)).toBe(true);
      h.clock.advance(30);
      expect(await h.storage.readExpiredLeaseIds(10)).toEqual([]);
      const read = await h.storage.readLease(lease.id);
      expect(read?.expiration.equals(h.clock.now().plusSeconds(30))).toBe(true);
      expect(read?.resourceIds).toEqual([LIMIT_A]);
      expect(read?.slots).toBe(1);
    });

    it('keeps an empty resource list empty across a renewal', async () => {
      const lease = await h.storage.createLease({ resourceIds: [], ttlSeconds: 60, slots: 1, holder: null });
      expect(await h.storage.renewLease(lease.id, 120)).toBe(true);
      expect((await h.storage.readLease(lease.id))?.resourceIds).toEqual([]);
    });

    it('refuses to renew a revoked or unknown lease', async () => {
      const lease = await h.storage.createLease({
        resourceIds: [LIMIT_A],
        ttlSeconds: 30,
        slots: 1,
        holder: null,
      });
      await h.storage.revokeLease(lease.id);
      expect(await h.storage.renewLease(lease.id, 60)).toBe(false);
      expect(await h.storage.renewLease('00000000-0000-4000-8000-0000000000ff', 60)).toBe(false);
      expect(await h.storage.readActiveLeaseIds(10, 0)).toEqual([]);
    });

    it('revokes a lease with its index entries, idempotently', async () => {
      const lease = await h.storage.createLease({
        resourceIds: [LIMIT_A, LIMIT_B],
        ttlSeconds: 30,
        slots: 1,
        holder: { type: 'task_run', id: RUN },
      });
      await h.storage.revokeLease(lease.id);
      await h.storage.revokeLease(lease.id);
      expect(await h.storage.readLease(lease.id)).toBeNull();
      expect(await h.storage.listHoldersForLimit(LIMIT_A)).toEqual([]);
      expect(await h.storage.listHoldersForLimit(LIMIT_B)).toEqual([]);
      h.clock.advance(60);
      expect(await h.storage.readExpiredLeaseIds(10)).toEqual([]);
    });

    it('pages active ids in expiry order and caps expired ids', async () => {
      const ids: string[] = [];
      for (const ttl of [50, 10, 30]) {
        ids.push(
          (await h.storage.createLease({ resourceIds: [LIMIT_A], ttlSeconds: ttl, slots: 1, holder: null }))
            .id,
        );
      }
      expect(await h.storage.readActiveLeaseIds(2, 0)).toEqual([ids[1], ids[2]]);
      expect(await h.storage.readActiveLeaseIds(2, 2)).toEqual([ids[0]]);
      h.clock.advance(100);
      expect(await h.storage.readExpiredLeaseIds(2)).toEqual([ids[1], ids[2]]);
    });

    it('keeps every lease of many concurrent creates and revokes consistent', async () => {
      const created = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          h.storage.createLease({
            resourceIds: [LIMIT_A],
            ttlSeconds: 60,
            slots: 1,
            holder: { type: 'task_run', id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` },
          }),
        ),
      );
      await Promise.all(created.filter((_, i) => i % 2 === 0).map((l) => h.storage.revokeLease(l.id)));
      const holders = await h.storage.listHoldersForLimit(LIMIT_A);
      expect(holders.map((x) => x.leaseId).sort()).toEqual(
        created
          .filter((_, i) => i % 2 === 1)
          .map((l) => l.id)
          .sort(),
      );
      expect((await h.storage.readActiveLeaseIds(100, 0)).length).toBe(25);
    });
  });
}
