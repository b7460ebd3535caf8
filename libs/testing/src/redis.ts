import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';

/** Redis URL of the test tier (set by jest-global-setup.js; the default matches it). */
export function testRedisUrl(): string {
  return process.env['ORRERY_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379/0';
}

/** A key prefix no other test (or engineer) shares: `test:<label>:<12 hex>:`. */
export function uniqueRedisPrefix(label = 'test'): string {
  return `test:${label}:${randomBytes(6).toString('hex')}:`;
}

/**
 * A Redis connection for one test file, with a unique key prefix. Name every key and stream with
 * `key()`, and `close()` deletes them all (SCAN on the prefix) before disconnecting.
 */
export class TestRedis {
  readonly client: Redis;

  private constructor(
    readonly url: string,
    readonly prefix: string,
  ) {
    this.client = new Redis(url, { maxRetriesPerRequest: 1 });
  }

  static open(label = 'test'): TestRedis {
    return new TestRedis(testRedisUrl(), uniqueRedisPrefix(label));
  }

  /** A key (or stream, topic) under this test's prefix. */
  key(name: string): string {
    return `${this.prefix}${name}`;
  }

  /** Keys currently under the prefix (for asserting a test left nothing behind). */
  async keys(): Promise<string[]> {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.client.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 500);
      cursor = next;
      found.push(...batch);
    } while (cursor !== '0');
    return found;
  }

  async cleanup(): Promise<void> {
    const keys = await this.keys();
    for (let i = 0; i < keys.length; i += 500) {
      await this.client.del(...keys.slice(i, i + 500));
    }
  }

  async close(): Promise<void> {
    try {
      await this.cleanup();
    } finally {
      await this.client.quit().catch(() => this.client.disconnect());
    }
  }
}
