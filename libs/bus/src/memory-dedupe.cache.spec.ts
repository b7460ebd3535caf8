import { MemoryDedupeCache } from './memory-dedupe.cache';

describe('MemoryDedupeCache', () => {
  it('claims a value once per TTL, forgets on demand, and evicts the oldest beyond its size', async () => {
    let now = 1000;
    const cache = new MemoryDedupeCache(300_000, 2, () => now);
    expect(await cache.claim(['a', 'a', 'b'])).toEqual([true, false, true]);
    await cache.forget(['a']);
    expect(await cache.claim(['a'])).toEqual([true]);
    expect(await cache.claim(['c'])).toEqual([true]); // over size 2: the oldest (b) is evicted
    expect(await cache.claim(['b'])).toEqual([true]); // ...and now a is
    expect(await cache.claim(['c'])).toEqual([false]);
    now += 300_001;
    expect(await cache.claim(['c'])).toEqual([true]);
    await cache.clear();
    expect(await cache.claim(['b'])).toEqual([true]);
  });
});
