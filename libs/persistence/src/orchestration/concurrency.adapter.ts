import type {
  CollisionStrategy,
  ConcurrencyLimitView,
  ConcurrencyOptions,
  ConcurrencySlotsPort,
  DeploymentConcurrencyPort,
  DeploymentConcurrencyView,
  LegacyTagLimitView,
  OrchestrationSettings,
  TagConcurrencyPort,
} from '@orrery/orchestration';
import type { EntityManager } from 'typeorm';
import {
  type ConcurrencyLimitV2Record,
  ConcurrencyLimitStore,
} from '../repositories/concurrency-limit.store';

const DEPLOYMENT_CONCURRENCY = `SELECT d.id, d.concurrency_limit_id, d.concurrency_options FROM deployment d WHERE d.id = $1`;

/**
 * The database side of the concurrency ports, inside the orchestrating transaction: a deployment's
 * limit (its `concurrency_limit_id` v2 row) and collision strategy, the `tag:<tag>` v2 limits and
 * legacy v1 rows of a task run's tags, and slot arithmetic with row locks held until commit (so a
 * rolled-back transition gives its slots back by itself). Leases live in the lease store.
 */
export class ConcurrencyAdapter
  implements DeploymentConcurrencyPort, TagConcurrencyPort, ConcurrencySlotsPort
{
  private readonly limits: ConcurrencyLimitStore;

  constructor(
    private readonly manager: EntityManager,
    settings?: OrchestrationSettings,
  ) {
    this.limits = new ConcurrencyLimitStore(
      manager,
      settings === undefined
        ? undefined
        : {
            tagWaitSeconds: settings.tagConcurrencySlotWaitSeconds,
            maximumWaitSeconds: settings.maximumConcurrencySlotWaitSeconds,
          },
    );
  }

  async readDeployment(deploymentId: string): Promise<DeploymentConcurrencyView | null> {
    const [row] = (await this.manager.query(DEPLOYMENT_CONCURRENCY, [deploymentId])) as {
      id: string;
      concurrency_limit_id: string | null;
      concurrency_options: Record<string, unknown> | null;
    }[];
    if (row === undefined) return null;
    const limit =
      row.concurrency_limit_id === null ? null : await this.limits.read({ id: row.concurrency_limit_id });
    return {
      id: row.id,
      concurrencyLimitId: limit === null ? null : limit.id,
      globalConcurrencyLimit: limit === null ? null : limitView(limit),
      concurrencyOptions: concurrencyOptions(row.concurrency_options),
    };
  }

  async readLimitsByName(names: string[]): Promise<ConcurrencyLimitView[]> {
    return (await this.limits.readByNames(names)).map(limitView);
  }

  async readLegacyLimits(tags: string[]): Promise<LegacyTagLimitView[]> {
    return (await this.limits.readLegacyByTags(tags)).map((l) => ({
      tag: l.tag,
      concurrencyLimit: l.concurrencyLimit,
      activeSlots: [...l.activeSlots],
    }));
  }

  writeLegacyActiveSlots(tag: string, activeSlots: string[]): Promise<void> {
    return this.limits.writeLegacyActiveSlots(tag, activeSlots);
  }

  incrementActiveSlots(limitIds: string[], slots: number): Promise<boolean> {
    return this.limits.incrementActiveSlots(limitIds, slots);
  }

  /**
   * Always true: a limit deleted (e.g. the deployment's `concurrency_limit` set to null) or made
   * inactive since the slot was taken has no slot to give back. Upstream raises here, which leaves
   * such a run unable to finish; releasing what still exists is the useful answer.
   */
  async decrementActiveSlots(limitIds: string[], slots: number): Promise<boolean> {
    await this.limits.decrementActiveSlots(limitIds, slots);
    return true;
  }
}

function limitView(limit: ConcurrencyLimitV2Record): ConcurrencyLimitView {
  return {
    id: limit.id,
    name: limit.name,
    limit: limit.limit,
    active: limit.active,
    activeSlots: limit.activeSlots,
    avgSlotOccupancySeconds: limit.avgSlotOccupancySeconds,
  };
}

/** `concurrency_options` JSON → options; an unknown or missing strategy is ENQUEUE (the default). */
function concurrencyOptions(json: Record<string, unknown> | null): ConcurrencyOptions | null {
  if (json === null || typeof json !== 'object') return null;
  const strategy: CollisionStrategy = json['collision_strategy'] === 'CANCEL_NEW' ? 'CANCEL_NEW' : 'ENQUEUE';
  const grace = json['grace_period_seconds'];
  return { collisionStrategy: strategy, gracePeriodSeconds: typeof grace === 'number' ? grace : null };
}
