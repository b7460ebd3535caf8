import type { OrchestrationContext } from '../../engine/orchestration.context';
import { UniversalTransform } from '../../engine/universal.transform';
import { releaseConcurrencyLease } from '../../support/concurrency-leases';

/**
 * A task that ends up anywhere but RUNNING/CANCELLING gives back every tag slot it holds: the v2
 * leases it holds on its `tag:` limits and its id in the legacy v1 `active_slots`. Runs for forced
 * transitions too, so a crashed or cancelled task never keeps a slot.
 */
export class ReleaseTaskConcurrencySlotsTransform extends UniversalTransform<'task'> {
  readonly name = 'ReleaseTaskConcurrencySlots';

  override async after(ctx: OrchestrationContext<'task'>): Promise<void> {
    if (ctx.proposedState === null) return;
    const validated = ctx.validatedState;
    if (validated === null || validated.type === 'RUNNING' || validated.type === 'CANCELLING') return;
    const tags = ctx.run.tags;
    if (tags.length === 0) return;

    const v2Limits = await ctx.ports.tagLimits.readLimitsByName(tags.map((tag) => `tag:${tag}`));
    const leaseIds = new Set<string>();
    for (const limit of v2Limits) {
      for (const { leaseId, holder } of await ctx.ports.leases.listHoldersForLimit(limit.id)) {
        if (holder.id === ctx.run.id) leaseIds.add(leaseId);
      }
    }
    for (const leaseId of leaseIds) {
      await releaseConcurrencyLease(ctx.ports, leaseId);
    }

    for (const limit of await ctx.ports.tagLimits.readLegacyLimits(tags)) {
      if (limit.activeSlots.includes(ctx.run.id)) {
        await ctx.ports.tagLimits.writeLegacyActiveSlots(
          limit.tag,
          limit.activeSlots.filter((id) => id !== ctx.run.id),
        );
      }
    }
  }
}
