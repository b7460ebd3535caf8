import type { Firing } from '@orrery/automations';
import type { BucketState } from './trigger-logic';

export interface BucketKey {
  readonly automationId: string;
  readonly triggerId: string;
  readonly key: readonly string[];
}

/**
 * What evaluation reads and writes: buckets and composite child firings. The service's store is one
 * database transaction (rows locked until commit); the explain replay's is in memory.
 */
export interface TriggerStore {
  /**
   * Records that the event is evaluated against the trigger (with the evaluation's writes); false if
   * it already was, and then nothing is to be done: the event is being evaluated again.
   */
  markEvaluated(automationId: string, triggerId: string, eventId: string): Promise<boolean>;
  /** Creates the bucket if missing (else keeps window and count, refreshing `last_event`). */
  ensure(id: BucketKey, window: Omit<BucketState, 'key'>): Promise<BucketState>;
  read(id: BucketKey): Promise<BucketState | null>;
  write(id: BucketKey, state: BucketState | null, fired: boolean): Promise<void>;
  removeExceeding(automationId: string, triggerId: string, threshold: number): Promise<void>;
  page(automationId: string, triggerId: string, limit: number, offset: number): Promise<BucketState[]>;
  lockParent(parentTriggerId: string): Promise<void>;
  clearOldChildFirings(automationId: string, parentTriggerId: string, beforeMs: number): Promise<void>;
  upsertChildFiring(automationId: string, parentTriggerId: string, firing: Firing): Promise<void>;
  childFirings(automationId: string, parentTriggerId: string): Promise<Firing[]>;
  /** Deletes these child firings; returns the ids this caller actually deleted. */
  clearChildFirings(automationId: string, parentTriggerId: string, ids: readonly string[]): Promise<string[]>;
}

const bucketKey = (id: BucketKey) => `${id.automationId}/${id.triggerId}/${JSON.stringify(id.key)}`;

/** In memory (the explain replay, unit tests). */
export class MemoryTriggerStore implements TriggerStore {
  readonly buckets = new Map<string, BucketState & { automationId: string; triggerId: string }>();
  private readonly children = new Map<string, Map<string, Firing>>();
  private readonly evaluated = new Set<string>();

  markEvaluated(automationId: string, triggerId: string, eventId: string): Promise<boolean> {
    const k = `${automationId}/${triggerId}/${eventId}`;
    if (this.evaluated.has(k)) return Promise.resolve(false);
    this.evaluated.add(k);
    return Promise.resolve(true);
  }

  ensure(id: BucketKey, window: Omit<BucketState, 'key'>): Promise<BucketState> {
    const k = bucketKey(id);
    const existing = this.buckets.get(k);
    const next = existing
      ? { ...existing, lastEvent: window.lastEvent ?? existing.lastEvent }
      : { ...window, key: [...id.key], automationId: id.automationId, triggerId: id.triggerId };
    this.buckets.set(k, next);
    return Promise.resolve(next);
  }
  read(id: BucketKey): Promise<BucketState | null> {
    return Promise.resolve(this.buckets.get(bucketKey(id)) ?? null);
  }
  write(id: BucketKey, state: BucketState | null): Promise<void> {
    if (state === null) this.buckets.delete(bucketKey(id));
    else
      this.buckets.set(bucketKey(id), { ...state, automationId: id.automationId, triggerId: id.triggerId });
    return Promise.resolve();
  }
  removeExceeding(automationId: string, triggerId: string, threshold: number): Promise<void> {
    for (const [k, b] of this.buckets) {
      if (b.automationId === automationId && b.triggerId === triggerId && b.count >= threshold)
        this.buckets.delete(k);
    }
    return Promise.resolve();
  }
  page(automationId: string, triggerId: string, limit: number, offset: number): Promise<BucketState[]> {
    return Promise.resolve(
      [...this.buckets.values()]
        .filter((b) => b.automationId === automationId && b.triggerId === triggerId)
        .sort((a, b) => a.start - b.start)
        .slice(offset, offset + limit),
    );
  }
  lockParent(): Promise<void> {
    return Promise.resolve();
  }
  private of(automationId: string, parent: string): Map<string, Firing> {
    const k = `${automationId}/${parent}`;
    let map = this.children.get(k);
    if (map === undefined) this.children.set(k, (map = new Map()));
    return map;
  }
  clearOldChildFirings(automationId: string, parent: string, beforeMs: number): Promise<void> {
    const map = this.of(automationId, parent);
    for (const [child, f] of map) if (Date.parse(f.triggered) < beforeMs) map.delete(child);
    return Promise.resolve();
  }
  upsertChildFiring(automationId: string, parent: string, firing: Firing): Promise<void> {
    this.of(automationId, parent).set(firing.trigger.id, firing);
    return Promise.resolve();
  }
  childFirings(automationId: string, parent: string): Promise<Firing[]> {
    return Promise.resolve([...this.of(automationId, parent).values()]);
  }
  clearChildFirings(automationId: string, parent: string, ids: readonly string[]): Promise<string[]> {
    const map = this.of(automationId, parent);
    const gone: string[] = [];
    for (const [child, f] of map) {
      if (ids.includes(f.id)) {
        map.delete(child);
        gone.push(f.id);
      }
    }
    return Promise.resolve(gone);
  }
}
