import type { FlowRunRelatedObjects } from '@orrery/orchestration';
import { RelatedObjectsCache } from './related-objects.cache';

const related = (name: string): FlowRunRelatedObjects => ({
  flow: { id: 'f', name, tags: [] },
  deployment: null,
  workQueue: null,
  workPool: null,
  parentTaskRun: null,
});

describe('RelatedObjectsCache', () => {
  it('answers until the TTL has passed', () => {
    const cache = new RelatedObjectsCache(300);
    cache.set('run', related('a'), 1_000);
    expect(cache.get('run', 1_000 + 299_999)?.flow?.name).toBe('a');
    expect(cache.get('run', 1_000 + 300_000)).toBeUndefined();
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const cache = new RelatedObjectsCache(300, 2);
    cache.set('a', related('a'), 0);
    cache.set('b', related('b'), 0);
    cache.set('c', related('c'), 0);
    expect([cache.get('a', 0), cache.get('b', 0)?.flow?.name, cache.get('c', 0)?.flow?.name]).toEqual([
      undefined,
      'b',
      'c',
    ]);
  });

  it('stores nothing with a TTL of 0', () => {
    const cache = new RelatedObjectsCache(0);
    cache.set('run', related('a'), 0);
    expect(cache.get('run', 0)).toBeUndefined();
  });
});
