import type { Firing } from '@orrery/automations';
import type { AutomationBucketRepository, BucketRow } from '@orrery/persistence';
import type { EntityManager } from 'typeorm';
import { SEEN_TTL_MS } from './causal-ordering';
import type { BucketState } from './trigger-logic';
import type { BucketKey, TriggerStore } from './trigger-store';

const toState = (row: BucketRow): BucketState => row as unknown as BucketState;

/** The TriggerStore of one database transaction: every bucket it touches stays locked until commit. */
export class DbTriggerStore implements TriggerStore {
  constructor(
    private readonly manager: EntityManager,
    private readonly buckets: AutomationBucketRepository,
  ) {}

  /** Kept as long as the ordering store keeps the event's seen mark, which guards it from then on. */
  markEvaluated(automationId: string, triggerId: string, eventId: string): Promise<boolean> {
    return this.buckets.markEvaluated(this.manager, automationId, triggerId, eventId, SEEN_TTL_MS);
  }
  async ensure(id: BucketKey, window: Omit<BucketState, 'key'>): Promise<BucketState> {
    return toState(await this.buckets.ensure(this.manager, id, window));
  }
  async read(id: BucketKey): Promise<BucketState | null> {
    const row = await this.buckets.read(this.manager, id);
    return row === null ? null : toState(row);
  }
  write(id: BucketKey, state: BucketState | null, fired: boolean): Promise<void> {
    return this.buckets.write(
      this.manager,
      id,
      state === null
        ? null
        : { ...state, lastEvent: state.lastEvent as unknown as Record<string, unknown> | null },
      fired ? 'evaluate[fired]' : 'evaluate',
      fired,
    );
  }
  removeExceeding(automationId: string, triggerId: string, threshold: number): Promise<void> {
    return this.buckets.removeExceeding(this.manager, automationId, triggerId, threshold);
  }
  async page(automationId: string, triggerId: string, limit: number, offset: number): Promise<BucketState[]> {
    return (await this.buckets.page(this.manager, automationId, triggerId, limit, offset)).map(toState);
  }
  lockParent(parentTriggerId: string): Promise<void> {
    return this.buckets.lockParent(this.manager, parentTriggerId);
  }
  clearOldChildFirings(automationId: string, parentTriggerId: string, beforeMs: number): Promise<void> {
    return this.buckets.clearOldChildFirings(this.manager, automationId, parentTriggerId, beforeMs);
  }
  upsertChildFiring(automationId: string, parentTriggerId: string, firing: Firing): Promise<void> {
    return this.buckets.upsertChildFiring(this.manager, automationId, parentTriggerId, firing);
  }
  childFirings(automationId: string, parentTriggerId: string): Promise<Firing[]> {
    return this.buckets.childFirings(this.manager, automationId, parentTriggerId);
  }
  clearChildFirings(
    automationId: string,
    parentTriggerId: string,
    ids: readonly string[],
  ): Promise<string[]> {
    return this.buckets.clearChildFirings(this.manager, automationId, parentTriggerId, ids);
  }
}
