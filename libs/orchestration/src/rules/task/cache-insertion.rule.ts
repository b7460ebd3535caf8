import type { State } from '@orrery/domain';
import { OrchestrationRule } from '../../engine/orchestration.rule';
import type { RuleContext } from '../../engine/rule.context';
import { ANY_STATE, only } from '../../engine/state-sets';

/** A completed task with a cache key becomes a cache entry (keys over the length cap are refused). */
export class CacheInsertionRule extends OrchestrationRule<'task'> {
  readonly name = 'CacheInsertion';
  readonly fromStates = ANY_STATE;
  readonly toStates = only('COMPLETED');

  override before(ctx: RuleContext<'task'>): void {
    const proposed = ctx.proposedState;
    if (proposed === null) return;
    const cacheKey = proposed.stateDetails.cacheKey;
    const max = ctx.settings.maxCacheKeyLength;
    if (cacheKey && cacheKey.length > max) {
      ctx.reject(proposed, `Cache key exceeded maximum allowed length of ${max} characters.`);
    }
  }

  override async after(ctx: RuleContext<'task'>, validated: State | null): Promise<void> {
    if (validated === null) return;
    const cacheKey = validated.stateDetails.cacheKey;
    // An over-long key was refused in `before` (the state is still written, as upstream does), but
    // unlike upstream it is not cached: it is exactly what the length cap keeps out of the index.
    if (!cacheKey || cacheKey.length > ctx.settings.maxCacheKeyLength) return;
    await ctx.ports.taskCache.insertCacheEntry({
      cacheKey,
      cacheExpiration: validated.stateDetails.cacheExpiration,
      taskRunStateId: validated.id,
    });
  }
}
