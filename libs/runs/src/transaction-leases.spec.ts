import { Logger } from '@nestjs/common';
import { MemoryLeaseStorage } from '@orrery/lease-storage';
import { TransactionLeases } from './transaction-leases';

const LIMIT = '00000000-0000-4000-8000-00000000000a';
const input = { resourceIds: [LIMIT], ttlSeconds: 60, slots: 1, holder: null };

describe('TransactionLeases (lease writes follow the orchestrating transaction)', () => {
  const logger = new Logger('test');

  it('revokes the leases a rolled-back transaction created, and keeps the ones it released', async () => {
    const store = new MemoryLeaseStorage();
    const before = await store.createLease(input);
    const tx = new TransactionLeases(store, logger);
    const created = await tx.createLease(input);
    await tx.revokeLease(before.id);
    expect(await tx.readLease(before.id)).toBeNull(); // gone as the transaction sees it
    expect(await store.readLease(before.id)).not.toBeNull(); // but not yet in the store
    await tx.rolledBack();
    expect(await store.readLease(created.id)).toBeNull();
    expect(await store.readLease(before.id)).not.toBeNull();
  });

  it('carries out revokes once the transaction commits, and keeps the leases it created', async () => {
    const store = new MemoryLeaseStorage();
    const released = await store.createLease({ ...input, holder: { type: 'task_run', id: 'r' } });
    const tx = new TransactionLeases(store, logger);
    const created = await tx.createLease(input);
    await tx.revokeLease(released.id);
    expect(await tx.listHoldersForLimit(LIMIT)).toEqual([]);
    expect(await tx.renewLease(released.id, 60)).toBe(false);
    await tx.committed();
    expect(await store.readLease(released.id)).toBeNull();
    expect(await store.readLease(created.id)).not.toBeNull();
  });
});
