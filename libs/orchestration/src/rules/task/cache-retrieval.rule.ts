import { copyState } from '@orrery/domain';
import { OrchestrationRule } from '../../engine/orchestration.rule';
import type { RuleContext } from '../../engine/rule.context';
import { ANY_STATE, only } from '../../engine/state-sets';

/**
 * A task about to run whose cache key has a live cache entry does not run: it gets a fresh copy of
 * the cached state, named `Cached`.
 */
export class CacheRetrievalRule extends OrchestrationRule<'task'> {
  readonly name = 'CacheRetrieval';
  readonly fromStates = ANY_STATE;
  readonly toStates = only('RUNNING');

  override async before(ctx: RuleContext<'task'>): Promise<void> {
    const proposed = ctx.proposedState;
    if (proposed === null) return;
    const cacheKey = proposed.stateDetails.cacheKey;
    if (!cacheKey || proposed.stateDetails.refreshCache) return;
    const cached = await ctx.ports.taskCache.findCachedState(cacheKey, ctx.now());
    if (cached === null) return;
    const fresh = copyState(cached);
    fresh.id = ctx.ports.ids.uuid7();
    fresh.timestamp = ctx.now();
    fresh.name = 'Cached';
    ctx.reject(fresh, 'Retrieved state from cache');
  }
}
