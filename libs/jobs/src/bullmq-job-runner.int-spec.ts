import Redis from 'ioredis';
import { BullMqJobRunner } from './bullmq-job-runner';
import { jobRunnerContract } from './job-runner.contract';

const redisUrl = process.env.ORRERY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
let prefixes: string[] = [];

/** Deletes every key under the test's random prefix. */
async function deletePrefix(prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

jobRunnerContract('bullmq', {
  create: () => {
    const prefix = `orrery-test-${Math.random().toString(36).slice(2, 10)}`;
    prefixes.push(prefix);
    return new BullMqJobRunner({ redisUrl, prefix, supervisionIntervalMs: 500 });
  },
  cleanup: async () => {
    await Promise.all(prefixes.map(deletePrefix));
    prefixes = [];
  },
});
