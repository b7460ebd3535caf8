import type Redis from 'ioredis';
import { type DedupeCache } from '../dedupe.cache';

/** `SET <prefix><value> 1 NX EX <ttl>` in one pipeline; a value is new only if its SET succeeded. */
export class RedisDedupeCache implements DedupeCache {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix = 'message:messaging-cache:',
    private readonly ttlSeconds = 300,
  ) {}

  /** Seconds a claim lasts. */
  get ttl(): number {
    return this.ttlSeconds;
  }

  /** The Redis key that records `value` as seen (the publish script claims it itself). */
  keyOf(value: string): string {
    return this.keyPrefix + value;
  }

  async claim(values: readonly string[]): Promise<boolean[]> {
    if (values.length === 0) {
      return [];
    }
    const pipeline = this.redis.pipeline();
    for (const value of values) {
      pipeline.set(this.keyPrefix + value, '1', 'EX', this.ttlSeconds, 'NX');
    }
    const replies = (await pipeline.exec()) ?? [];
    return values.map((_, index) => {
      const [error, reply] = replies[index] ?? [new Error('no reply'), null];
      if (error) {
        throw error;
      }
      return reply === 'OK';
    });
  }

  async forget(values: readonly string[]): Promise<void> {
    if (values.length > 0) {
      await this.redis.del(...values.map((value) => this.keyPrefix + value));
    }
  }

  async clear(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.keyPrefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) {
        await this.redis.del(...keys);
      }
    } while (cursor !== '0');
  }
}
