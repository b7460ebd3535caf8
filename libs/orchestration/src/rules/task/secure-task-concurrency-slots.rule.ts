import { TAG_LEASE_TTL_SECONDS } from '../../engine/orchestration-parameters';
import type { ConcurrencyLimitView, LegacyTagLimitView } from '../../engine/orchestration.ports';
import { OrchestrationRule } from '../../engine/orchestration.rule';
import type { RuleContext } from '../../engine/rule.context';
import { ANY_STATE, only } from '../../engine/state-sets';
import { releaseConcurrencyLease } from '../../support/concurrency-leases';
import { clampedPoissonInterval } from '../../support/poisson';

/**
 * Tag concurrency: a task may only start RUNNING with a slot on every concurrency limit of its
 * tags — the v2 limits named `tag:<tag>` (one lease for all of them) and, for tags that only have
 * one, the legacy v1 rows (the task-run id in `active_slots`). Full → WAIT and try again; a limit
 * of 0 would never admit it → ABORT.
 */
export class SecureTaskConcurrencySlotsRule extends OrchestrationRule<'task'> {
  readonly name = 'SecureTaskConcurrencySlots';
  readonly fromStates = ANY_STATE;
  readonly toStates = only('RUNNING');
  private readonly acquiredLeaseIds: string[] = [];
  private readonly appliedLegacyTags: string[] = [];

  override async before(ctx: RuleContext<'task'>): Promise<void> {
    const tags = ctx.run.tags;
    if (tags.length === 0) return;
    const v2Limits = await ctx.ports.tagLimits.readLimitsByName(tags.map((tag) => `tag:${tag}`));
    const v2Tags = new Set(v2Limits.filter((l) => l.active).map((l) => l.name.slice('tag:'.length)));

    const zero = v2Limits.find((l) => l.active && l.limit === 0);
    if (zero !== undefined) {
      ctx.abort(deadlockMessage(zero.name.slice('tag:'.length)));
      return;
    }
    const active = v2Limits.filter((l) => l.active && l.limit > 0);
    if (active.length > 0) {
      const limitIds = active.map((l) => l.id);
      if (!(await ctx.ports.slots.incrementActiveSlots(limitIds, 1))) {
        ctx.wait(
          this.jitteredWaitSeconds(ctx, active),
          `Concurrency limit reached for tags: ${active.map((l) => l.name.slice('tag:'.length)).join(', ')}`,
        );
        return;
      }
      const lease = await ctx.ports.leases.createLease({
        resourceIds: limitIds,
        ttlSeconds: TAG_LEASE_TTL_SECONDS,
        slots: 1,
        holder: { type: 'task_run', id: ctx.run.id },
      });
      this.acquiredLeaseIds.push(lease.id);
    }

    const legacy = (await ctx.ports.tagLimits.readLegacyLimits(tags)).filter((l) => !v2Tags.has(l.tag));
    for (const limit of legacy) {
      if (limit.concurrencyLimit === 0) {
        await this.releaseAll(ctx, legacy);
        ctx.abort(deadlockMessage(limit.tag));
        return;
      }
      if (limit.activeSlots.length >= limit.concurrencyLimit) {
        await this.releaseAll(ctx, legacy);
        ctx.wait(
          ctx.settings.tagConcurrencySlotWaitSeconds,
          `Concurrency limit for the ${limit.tag} tag has been reached`,
        );
        return;
      }
      if (!limit.activeSlots.includes(ctx.run.id)) {
        limit.activeSlots = [...limit.activeSlots, ctx.run.id];
        await ctx.ports.tagLimits.writeLegacyActiveSlots(limit.tag, limit.activeSlots);
      }
      this.appliedLegacyTags.push(limit.tag);
    }
  }

  /** A later rule changed the transition: give back the lease and the legacy slots. */
  override async cleanup(ctx: RuleContext<'task'>): Promise<void> {
    await this.releaseLeases(ctx);
    if (this.appliedLegacyTags.length === 0) return;
    const legacy = await ctx.ports.tagLimits.readLegacyLimits(this.appliedLegacyTags);
    await this.releaseLegacy(ctx, legacy);
  }

  /**
   * The wait centres on how long slots of the most saturated limit are usually held (capped by the
   * setting), jittered so that waiting tasks do not all come back at once.
   */
  private jitteredWaitSeconds(ctx: RuleContext<'task'>, limits: ConcurrencyLimitView[]): number {
    const maxWait = ctx.settings.tagConcurrencySlotWaitSeconds;
    const blocking = limits.reduce((a, b) => (b.activeSlots / b.limit > a.activeSlots / a.limit ? b : a));
    const average = Math.min(blocking.avgSlotOccupancySeconds || maxWait, maxWait);
    return Math.round(clampedPoissonInterval(average, 0.3, ctx.ports.random));
  }

  private async releaseAll(ctx: RuleContext<'task'>, legacy: LegacyTagLimitView[]): Promise<void> {
    await this.releaseLeases(ctx);
    await this.releaseLegacy(
      ctx,
      legacy.filter((l) => this.appliedLegacyTags.includes(l.tag)),
    );
  }

  private async releaseLeases(ctx: RuleContext<'task'>): Promise<void> {
    for (const leaseId of this.acquiredLeaseIds.splice(0)) {
      await releaseConcurrencyLease(ctx.ports, leaseId);
    }
  }

  private async releaseLegacy(ctx: RuleContext<'task'>, limits: LegacyTagLimitView[]): Promise<void> {
    for (const limit of limits) {
      if (!limit.activeSlots.includes(ctx.run.id)) continue;
      limit.activeSlots = limit.activeSlots.filter((id) => id !== ctx.run.id);
      await ctx.ports.tagLimits.writeLegacyActiveSlots(limit.tag, limit.activeSlots);
    }
    this.appliedLegacyTags.length = 0;
  }
}

function deadlockMessage(tag: string): string {
  return `The concurrency limit on tag "${tag}" is 0 and will deadlock if the task tries to run again.`;
}
