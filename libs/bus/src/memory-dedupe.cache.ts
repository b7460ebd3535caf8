import { type DedupeCache } from './dedupe.cache';

/** Process-local TTL map, bounded: the oldest entries are evicted first (insertion order). */
export class MemoryDedupeCache implements DedupeCache {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs = 300_000,
    private readonly maxEntries = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  claim(values: readonly string[]): Promise<boolean[]> {
    const now = this.now();
    const result = values.map((value) => {
      const expires = this.seen.get(value);
      if (expires !== undefined && expires > now) {
        return false;
      }
      this.seen.delete(value);
      this.seen.set(value, now + this.ttlMs);
      return true;
    });
    while (this.seen.size > this.maxEntries) {
      const oldest = this.seen.keys().next().value;
      if (oldest === undefined) {
        break;
      }
      this.seen.delete(oldest);
    }
    return Promise.resolve(result);
  }

  forget(values: readonly string[]): Promise<void> {
    for (const value of values) {
      this.seen.delete(value);
    }
    return Promise.resolve();
  }

  clear(): Promise<void> {
    this.seen.clear();
    return Promise.resolve();
  }
}
