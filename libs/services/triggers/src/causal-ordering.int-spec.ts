import { TestRedis } from '@orrery/testing';
import { RedisOrderingStore } from './causal-ordering';
import { causalOrderingContract } from './causal-ordering.contract';

describe('causal ordering on Redis', () => {
  const redis = TestRedis.open('causal-ordering');
  const store = new RedisOrderingStore(redis.client, redis.prefix);
  afterAll(() => redis.close());
  causalOrderingContract(() => store);

  it('keeps its keys under the prefix, with upstream names', async () => {
    expect((await redis.keys()).some((k) => k.startsWith(`${redis.prefix}triggers:seen:`))).toBe(true);
  });
});
