import { TestRedis } from '@orrery/testing';
import { describeLeaseStorageContract, ManualClock } from './lease-storage.contract';
import { MemoryLeaseStorage } from './memory-lease-storage';
import { RedisLeaseStorage } from './redis-lease-storage';

describeLeaseStorageContract('in-process', () => {
  const clock = new ManualClock();
  return Promise.resolve({
    storage: new MemoryLeaseStorage(clock.now),
    clock,
    close: () => Promise.resolve(),
  });
});

describeLeaseStorageContract('Redis', () => {
  const clock = new ManualClock();
  const redis = TestRedis.open('leases');
  return Promise.resolve({
    storage: new RedisLeaseStorage(redis.client, redis.prefix, clock.now),
    clock,
    close: () => redis.close(),
  });
});

describe('Redis lease storage keys', () => {
  it('stores upstream-shaped keys: a JSON lease, the expiration zset and the holders hash', async () => {
    const redis = TestRedis.open('lease-keys');
    try {
      const storage = new RedisLeaseStorage(redis.client, redis.prefix);
      const lease = await storage.createLease({
        resourceIds: ['00000000-0000-4000-8000-00000000000a'],
        ttlSeconds: 60,
        slots: 1,
        holder: { type: 'task_run', id: '00000000-0000-4000-8000-000000000001' },
      });
      expect((await redis.keys()).sort()).toEqual(
        [
          redis.key('expirations'),
          redis.key(`lease:${lease.id}`),
          redis.key('limit:00000000-0000-4000-8000-00000000000a:holders'),
        ].sort(),
      );
      const json = JSON.parse((await redis.client.get(redis.key(`lease:${lease.id}`))) ?? '{}') as object;
      expect(json).toMatchObject({
        id: lease.id,
        resource_ids: ['00000000-0000-4000-8000-00000000000a'],
        metadata: { slots: 1, holder: { type: 'task_run', id: '00000000-0000-4000-8000-000000000001' } },
      });
      await storage.revokeLease(lease.id);
      expect(await redis.keys()).toEqual([]);
    } finally {
      await redis.close();
    }
  });
});
