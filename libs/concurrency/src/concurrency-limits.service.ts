import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { SETTINGS, type Settings } from '@orrery/config';
import { Instant, UseCaseError } from '@orrery/domain';
import {
  type ConcurrencyLeaseStorage,
  LEASE_STORAGE,
  MemoryLeaseStorage,
  V1_LEASE_TTL_SECONDS,
} from '@orrery/lease-storage';
import {
  DEFAULT_ORCHESTRATION_SETTINGS,
  type LeaseHolder,
  lockedRetryAfterSeconds,
  type OrchestrationSettings,
  slotRequestError,
} from '@orrery/orchestration';
import { OutboxPublisher } from '@orrery/outbox';
import {
  type ConcurrencyLimitLocator,
  ConcurrencyLimitStore,
  type ConcurrencyLimitV2Changes,
  type ConcurrencyLimitV2Record,
  DATA_SOURCE,
  type Database,
  type LegacyConcurrencyLimitRecord,
  type NewConcurrencyLimitV2,
  type Session,
} from '@orrery/persistence';
import { concurrencyLimitEvent } from './concurrency-limit-events';
import { pythonFloat } from './python-float';

/** A v1 `ConcurrencyLimit`: a `tag:` v2 row (active slots = its task-run lease holders) or a legacy row. */
export interface TagLimitView {
  id: string;
  created: Instant;
  updated: Instant;
  tag: string;
  concurrencyLimit: number;
  activeSlots: string[];
}

export interface MinimalLimit {
  id: string;
  name: string;
  limit: number;
}

const TAG_PREFIX = 'tag:';
const LEASE_SCAN_BATCH = 100;

/**
 * Concurrency limits v1 (the tag adapter over v2 rows `tag:<tag>`) and v2 (spec-api §5, §7.7):
 * CRUD with lifecycle events, slot increments/decrements (all-or-none, row-locked), leases, and the
 * 423 `Retry-After` answer computed as upstream does.
 */
@Injectable()
export class ConcurrencyLimitsService {
  private readonly logger = new Logger('concurrency-limits');
  private readonly settings: OrchestrationSettings;
  private readonly leases: ConcurrencyLeaseStorage;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: Database,
    private readonly outbox: OutboxPublisher,
    @Optional() @Inject(LEASE_STORAGE) leases?: ConcurrencyLeaseStorage,
    @Optional() @Inject(SETTINGS) settings?: Settings,
  ) {
    this.leases = leases ?? MemoryLeaseStorage.processDefault();
    this.settings =
      settings === undefined
        ? DEFAULT_ORCHESTRATION_SETTINGS
        : {
            ...DEFAULT_ORCHESTRATION_SETTINGS,
            tagConcurrencySlotWaitSeconds: settings.server.tasks.tagConcurrencySlotWaitSeconds,
            maximumConcurrencySlotWaitSeconds: settings.server.concurrency.maximumConcurrencySlotWaitSeconds,
          };
  }

  private store(manager: Session = this.dataSource.manager): ConcurrencyLimitStore {
    return new ConcurrencyLimitStore(manager, {
      tagWaitSeconds: this.settings.tagConcurrencySlotWaitSeconds,
      maximumWaitSeconds: this.settings.maximumConcurrencySlotWaitSeconds,
    });
  }

  // ---- v2 ----------------------------------------------------------------------------------------

  create(limit: NewConcurrencyLimitV2): Promise<ConcurrencyLimitV2Record> {
    return this.outbox.transaction(async (manager, emit) => {
      const created = await this.store(manager).create(limit);
      emit(concurrencyLimitEvent('created', created));
      return created;
    });
  }

  read(locator: ConcurrencyLimitLocator): Promise<ConcurrencyLimitV2Record | null> {
    return this.store().read(locator);
  }

  page(limit: number, offset: number): Promise<ConcurrencyLimitV2Record[]> {
    return this.store().page(limit, offset);
  }

  /** False when there is no such limit. */
  update(locator: ConcurrencyLimitLocator, changes: ConcurrencyLimitV2Changes): Promise<boolean> {
    return this.outbox.transaction(async (manager, emit) => {
      const updated = await this.store(manager).update(locator, changes);
      if (updated !== null) emit(concurrencyLimitEvent('updated', updated));
      return updated !== null;
    });
  }

  /** False when there is no such limit. */
  delete(locator: ConcurrencyLimitLocator): Promise<boolean> {
    return this.outbox.transaction(async (manager, emit) => {
      const deleted = await this.store(manager).delete(locator);
      if (deleted !== null) emit(concurrencyLimitEvent('deleted', deleted));
      return deleted !== null;
    });
  }

  /**
   * Takes `slots` on every named limit that exists and is active, or none: the limits read (all of
   * them, inactive included, as upstream answers), or a 423 with `Retry-After` when one is full.
   */
  async increment(
    names: string[],
    slots: number,
    mode: 'concurrency' | 'rate_limit',
  ): Promise<ConcurrencyLimitV2Record[]> {
    const outcome = await this.dataSource.transaction(async (manager) => {
      const store = this.store(manager);
      const limits = await store.readByNames(names);
      const problem = slotRequestError(limits, slots, mode);
      if (problem !== null) throw UseCaseError.unprocessable(problem);
      const active = limits.filter((l) => l.active).map((l) => l.id);
      return { limits, acquired: await store.incrementActiveSlots(active, slots) };
    });
    if (outcome.acquired) return outcome.limits;
    throw await this.locked(outcome.limits, slots);
  }

  /** `increment` plus a lease on all the limits read, for `lease_duration` seconds. */
  async incrementWithLease(
    names: string[],
    slots: number,
    mode: 'concurrency' | 'rate_limit',
    leaseDurationSeconds: number,
    holder: LeaseHolder | null,
  ): Promise<{ leaseId: string; limits: ConcurrencyLimitV2Record[] }> {
    const limits = await this.increment(names, slots, mode);
    const lease = await this.leases.createLease({
      resourceIds: limits.map((l) => l.id),
      ttlSeconds: leaseDurationSeconds,
      slots,
      holder,
    });
    return { leaseId: lease.id, limits };
  }

  /** Gives `slots` back on the active named limits; answers every named limit that exists. */
  async decrement(
    names: string[],
    slots: number,
    occupancySeconds: number | null,
  ): Promise<ConcurrencyLimitV2Record[]> {
    return this.dataSource.transaction(async (manager) => {
      const store = this.store(manager);
      const limits = await store.readByNames(names);
      if (limits.length === 0) return [];
      await store.decrementActiveSlots(
        limits.filter((l) => l.active).map((l) => l.id),
        slots,
        occupancySeconds,
      );
      return limits;
    });
  }

  /** Releases a lease's slots (its occupancy recorded) and revokes it; an unknown lease is a no-op. */
  async decrementWithLease(leaseId: string): Promise<void> {
    const lease = await this.leases.readLease(leaseId);
    if (lease === null) return;
    const occupancy = Instant.now().secondsSince(lease.createdAt);
    await this.dataSource.transaction((manager) =>
      this.store(manager).decrementActiveSlots(lease.resourceIds, lease.slots, occupancy),
    );
    await this.leases.revokeLease(leaseId);
  }

  renewLease(leaseId: string, leaseDurationSeconds: number): Promise<boolean> {
    return this.leases.renewLease(leaseId, leaseDurationSeconds);
  }

  /** Counts the denial and answers 423 with upstream's jittered `Retry-After`. */
  private async locked(limits: ConcurrencyLimitV2Record[], slots: number): Promise<UseCaseError> {
    const active = limits.filter((l) => l.active);
    await this.dataSource.transaction((manager) =>
      this.store(manager).recordDeniedSlots(
        active.map((l) => l.id),
        slots,
      ),
    );
    const retryAfter = lockedRetryAfterSeconds(limits, slots, this.settings);
    return new UseCaseError(423, 'Locked', { 'Retry-After': pythonFloat(retryAfter) });
  }

  // ---- v1 (tag limits) ---------------------------------------------------------------------------

  /** Creates or resizes the v2 limit `tag:<tag>`; `created` tells 201 from 200. */
  async upsertTagLimit(tag: string, limit: number): Promise<{ view: TagLimitView; created: boolean }> {
    const name = `${TAG_PREFIX}${tag}`;
    const { row, created } = await this.outbox.transaction(async (manager, emit) => {
      const store = this.store(manager);
      const existing = await store.read({ name });
      if (existing !== null) {
        const updated = await store.update({ id: existing.id }, { limit });
        if (updated !== null) emit(concurrencyLimitEvent('updated', updated));
        return { row: updated ?? existing, created: false };
      }
      const inserted = await store.create({
        name,
        limit,
        active: true,
        activeSlots: 0,
        deniedSlots: 0,
        slotDecayPerSecond: 0,
      });
      emit(concurrencyLimitEvent('created', inserted));
      return { row: inserted, created: true };
    });
    return { view: await this.tagView(row, tag), created };
  }

  async readTagLimit(locator: { id: string } | { tag: string }): Promise<TagLimitView | null> {
    const store = this.store();
    const v2 =
      'id' in locator
        ? await store.read({ id: locator.id })
        : await store.read({ name: `${TAG_PREFIX}${locator.tag}` });
    if (v2 !== null && v2.name.startsWith(TAG_PREFIX))
      return this.tagView(v2, v2.name.slice(TAG_PREFIX.length));
    const legacy = await store.readLegacy(locator);
    return legacy === null ? null : legacyView(legacy);
  }

  /** Both kinds, `tag:` v2 rows first (by name), legacy rows for other tags after, then the page. */
  async filterTagLimits(limit: number, offset: number): Promise<TagLimitView[]> {
    const store = this.store();
    const [legacy, v2] = await Promise.all([store.legacyPage(limit + offset), store.page(limit + offset, 0)]);
    const converted = await Promise.all(
      v2
        .filter((l) => l.name.startsWith(TAG_PREFIX))
        .map((l) => this.tagView(l, l.name.slice(TAG_PREFIX.length))),
    );
    const seen = new Set(converted.map((c) => c.tag));
    return [...converted, ...legacy.filter((l) => !seen.has(l.tag)).map(legacyView)].slice(
      offset,
      offset + limit,
    );
  }

  /**
   * Revokes every lease on the tag's limit (giving its slots back), then takes one slot and a
   * lease per task run of `slotOverride`. False when the tag has no limit.
   */
  async resetTagLimit(tag: string, slotOverride: string[] | null): Promise<boolean> {
    const v2 = await this.store().read({ name: `${TAG_PREFIX}${tag}` });
    if (v2 === null) {
      return this.dataSource.transaction(async (manager) => {
        const legacy = await this.store(manager).readLegacy({ tag });
        if (legacy === null) return false;
        await this.store(manager).writeLegacyActiveSlots(tag, slotOverride ?? []);
        return true;
      });
    }
    await this.releaseLeasesOf(v2.id);
    for (const taskRunId of slotOverride ?? []) {
      await this.dataSource.transaction((manager) => this.store(manager).incrementActiveSlots([v2.id], 1));
      await this.leases.createLease({
        resourceIds: [v2.id],
        ttlSeconds: V1_LEASE_TTL_SECONDS,
        slots: 1,
        holder: { type: 'task_run', id: taskRunId },
      });
    }
    return true;
  }

  /** Deletes the tag limit (its leases first); false when there is none. */
  async deleteTagLimit(locator: { id: string } | { tag: string }): Promise<boolean> {
    const v2 =
      'id' in locator
        ? await this.store().read({ id: locator.id })
        : await this.store().read({ name: `${TAG_PREFIX}${locator.tag}` });
    if (v2 !== null) {
      await this.releaseLeasesOf(v2.id, false);
      return this.delete({ id: v2.id });
    }
    return this.dataSource.transaction((manager) => this.store(manager).deleteLegacy(locator));
  }

  /**
   * v1 `increment`: a limit of 0 on any tag → 423 (deadlock); a full legacy or `tag:` limit → 423
   * with `Retry-After` = the tag slot wait; otherwise one slot on every `tag:` limit (one lease,
   * holder the task run) and the task run's id in each legacy row's `active_slots`.
   */
  async incrementTags(tags: string[], taskRunId: string): Promise<MinimalLimit[]> {
    const results: MinimalLimit[] = [];
    const acquiredIds = await this.dataSource.transaction(async (manager) => {
      const store = this.store(manager);
      const v2ByName = new Map(
        (await store.readByNames(tags.map((t) => `${TAG_PREFIX}${t}`))).map((l) => [l.name, l]),
      );
      const v1ByTag = new Map((await store.readLegacyByTags(tags)).map((l) => [l.tag, l]));
      for (const tag of tags) {
        const v2 = v2ByName.get(`${TAG_PREFIX}${tag}`);
        const v1 = v1ByTag.get(tag);
        if (
          (v2 !== undefined && v2.limit === 0) ||
          (v2 === undefined && v1 !== undefined && v1.concurrencyLimit === 0)
        ) {
          throw new UseCaseError(
            423,
            `The concurrency limit on tag "${tag}" is 0 and will deadlock if the task tries to run again.`,
          );
        }
      }
      const v2ToAcquire: ConcurrencyLimitV2Record[] = [];
      const v1ToAcquire: LegacyConcurrencyLimitRecord[] = [];
      for (const tag of tags) {
        const v2 = v2ByName.get(`${TAG_PREFIX}${tag}`);
        const v1 = v1ByTag.get(tag);
        if (v2 !== undefined && v2.active) {
          if (!v2ToAcquire.includes(v2)) v2ToAcquire.push(v2);
        } else if (v1 !== undefined) {
          if (v1.activeSlots.length >= v1.concurrencyLimit) throw this.tagFull(tag);
          if (!v1ToAcquire.includes(v1)) v1ToAcquire.push(v1);
        }
      }
      if (v2ToAcquire.length > 0) {
        if (
          !(await store.incrementActiveSlots(
            v2ToAcquire.map((l) => l.id),
            1,
          ))
        ) {
          throw this.tagFull(v2ToAcquire[0]!.name.slice(TAG_PREFIX.length));
        }
        for (const limit of v2ToAcquire) {
          results.push({ id: limit.id, name: limit.name.slice(TAG_PREFIX.length), limit: limit.limit });
        }
      }
      for (const limit of v1ToAcquire) {
        const slots = new Set(limit.activeSlots);
        slots.add(taskRunId);
        await store.writeLegacyActiveSlots(limit.tag, [...slots]);
        results.push({ id: limit.id, name: limit.tag, limit: limit.concurrencyLimit });
      }
      return v2ToAcquire.map((l) => l.id);
    });
    if (acquiredIds.length > 0) {
      await this.leases.createLease({
        resourceIds: acquiredIds,
        ttlSeconds: V1_LEASE_TTL_SECONDS,
        slots: 1,
        holder: { type: 'task_run', id: taskRunId },
      });
    }
    return results;
  }

  /** v1 `decrement`: releases the task run's leases on the tags' v2 limits and its legacy slots. */
  async decrementTags(tags: string[], taskRunId: string): Promise<MinimalLimit[]> {
    const results: MinimalLimit[] = [];
    const v2 = await this.store().readByNames(tags.map((t) => `${TAG_PREFIX}${t}`));
    const leaseIds = new Set<string>();
    for (const limit of v2) {
      for (const { leaseId, holder } of await this.leases.listHoldersForLimit(limit.id)) {
        if (holder.id === taskRunId) leaseIds.add(leaseId);
      }
    }
    for (const leaseId of leaseIds) {
      const lease = await this.leases.readLease(leaseId);
      if (lease === null) {
        this.logger.warn(`Lease ${leaseId} not found during decrement`);
        continue;
      }
      await this.dataSource.transaction((manager) =>
        this.store(manager).decrementActiveSlots(lease.resourceIds, lease.slots),
      );
      await this.leases.revokeLease(lease.id);
    }
    results.push(...v2.map((l) => ({ id: l.id, name: l.name, limit: l.limit })));
    const v2Names = new Set(v2.map((l) => l.name));
    await this.dataSource.transaction(async (manager) => {
      const store = this.store(manager);
      for (const legacy of await store.readLegacyByTags(tags)) {
        if (v2Names.has(`${TAG_PREFIX}${legacy.tag}`) || !legacy.activeSlots.includes(taskRunId)) continue;
        await store.writeLegacyActiveSlots(
          legacy.tag,
          legacy.activeSlots.filter((id) => id !== taskRunId),
        );
        results.push({ id: legacy.id, name: legacy.tag, limit: legacy.concurrencyLimit });
      }
    });
    return results;
  }

  private tagFull(tag: string): UseCaseError {
    return new UseCaseError(423, `Concurrency limit for the ${tag} tag has been reached`, {
      'Retry-After': pythonFloat(this.settings.tagConcurrencySlotWaitSeconds),
    });
  }

  /** The v1 view of a `tag:` limit: its active slots are the task runs holding leases on it. */
  private async tagView(limit: ConcurrencyLimitV2Record, tag: string): Promise<TagLimitView> {
    const holders = await this.leases.listHoldersForLimit(limit.id);
    return {
      id: limit.id,
      created: limit.created,
      updated: limit.updated,
      tag,
      concurrencyLimit: limit.limit,
      activeSlots: holders.filter((h) => h.holder.type === 'task_run').map((h) => h.holder.id),
    };
  }

  /** Revokes every active lease on the limit, giving back its slots unless the limit is going away. */
  private async releaseLeasesOf(limitId: string, giveBackSlots = true): Promise<void> {
    const mine: { id: string; resourceIds: string[]; slots: number }[] = [];
    for (let offset = 0; ; offset += LEASE_SCAN_BATCH) {
      const ids = await this.leases.readActiveLeaseIds(LEASE_SCAN_BATCH, offset);
      for (const id of ids) {
        const lease = await this.leases.readLease(id);
        if (lease !== null && lease.resourceIds.includes(limitId)) mine.push(lease);
      }
      if (ids.length < LEASE_SCAN_BATCH) break;
    }
    for (const lease of mine) {
      if (giveBackSlots) {
        await this.dataSource.transaction((manager) =>
          this.store(manager).decrementActiveSlots(lease.resourceIds, lease.slots),
        );
      }
      await this.leases.revokeLease(lease.id);
    }
  }
}

function legacyView(limit: LegacyConcurrencyLimitRecord): TagLimitView {
  return {
    id: limit.id,
    created: limit.created,
    updated: limit.updated,
    tag: limit.tag,
    concurrencyLimit: limit.concurrencyLimit,
    activeSlots: limit.activeSlots,
  };
}
