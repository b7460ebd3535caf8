import { Logger } from '@nestjs/common';
import { Instant } from '@orrery/domain';
import { type BusMessage, type DeadLetter } from '../bus-message';
import { BusBackpressureError } from '../bus.errors';
import { type GroupDescription, type MaintenanceResult, type TopicDescription } from '../consumer-spec';
import { decodeAttributes, errorText } from '../message-codec';
import { type RawDelivery } from '../stream-transport';

interface MemoryEntry {
  readonly seq: number;
  readonly id: string;
  readonly data: string;
  readonly attributes: string;
}

interface PendingEntry {
  readonly entry: MemoryEntry;
  consumer: string;
  deliveryCount: number;
  deliveredAt: number;
}

interface MemoryGroup {
  lastDeliveredSeq: number;
  lastDeliveredId: string;
  readonly pending: Map<string, PendingEntry>;
  /** consumer name → last time it fetched or heartbeated (Redis' consumer "idle"). */
  readonly consumers: Map<string, number>;
}

export interface MemoryMaintenanceSettings {
  readonly idleConsumerThresholdMs: number;
  readonly trimRetainMs: number;
  readonly keepConsumers?: readonly string[];
}

/** Where an in-memory tail's messages wait for its handler; full buffers drop (tails are best effort). */
class MemoryTailBuffer {
  readonly queue: BusMessage<unknown>[] = [];
  wake: (() => void) | null = null;
  dropped = 0;

  constructor(readonly capacity: number) {}
}

/**
 * One topic of the in-memory driver, modelled on a Redis stream so that both drivers share one
 * contract: an append-only log with `<ms>-<seq>` ids, consumer groups with a last-delivered position
 * and a pending list that counts deliveries, the same trimming floor, and dead letters kept here.
 */
export class MemoryStream {
  private readonly logger: Logger;
  private readonly entries: MemoryEntry[] = [];
  private readonly groups = new Map<string, MemoryGroup>();
  private readonly dataWaiters = new Set<() => void>();
  private readonly spaceWaiters = new Set<() => void>();
  private readonly tails = new Set<MemoryTailBuffer>();
  private readonly deadLetterLog: DeadLetter[] = [];
  private readonly deadLetterCounts = new Map<string, number>();
  private nextSeq = 1;
  private lastMs = 0;
  private lastSub = 0;
  private lastGeneratedId = '0-0';
  private deadLetterSeq = 0;

  constructor(
    readonly topic: string,
    private readonly maxLength: number,
    private readonly publishTimeoutMs: number,
    /** Groups whose consumers are all idle this long (and nothing pending) do not hold back publishers. */
    private readonly idleConsumerThresholdMs: number,
  ) {
    this.logger = new Logger(`MemoryBus:${topic}`);
  }

  /** Appends all messages, waiting for room first (backpressure instead of silent drops). */
  async append(messages: readonly { data: string; attributes: string }[]): Promise<string[]> {
    const started = Date.now();
    while (this.entries.length + messages.length > this.maxLength && this.entries.length > 0) {
      this.trimTo(this.trimFloorSeq(this.idleConsumerThresholdMs, 0, []));
      if (this.entries.length + messages.length <= this.maxLength) {
        break;
      }
      const remaining = this.publishTimeoutMs - (Date.now() - started);
      if (remaining <= 0) {
        throw new BusBackpressureError(this.topic, Date.now() - started);
      }
      await this.waitOn(this.spaceWaiters, Math.min(remaining, 100));
    }
    const ids = messages.map((message) => {
      const entry = {
        seq: this.nextSeq++,
        id: this.nextId(),
        data: message.data,
        attributes: message.attributes,
      };
      this.entries.push(entry);
      this.toTails(entry);
      return entry.id;
    });
    this.wakeAll(this.dataWaiters);
    return ids;
  }

  ensureGroup(group: string, consumer: string): void {
    let state = this.groups.get(group);
    if (state === undefined) {
      // Like XGROUP CREATE … 0: a new group starts at the oldest retained entry.
      state = { lastDeliveredSeq: 0, lastDeliveredId: '0-0', pending: new Map(), consumers: new Map() };
      this.groups.set(group, state);
    }
    state.consumers.set(consumer, Date.now());
  }

  /** XAUTOCLAIM: entries pending longer than minIdleMs move to this consumer, counting a delivery. */
  claimIdle(group: string, consumer: string, minIdleMs: number, count: number): RawDelivery[] {
    const state = this.group(group);
    const now = Date.now();
    state.consumers.set(consumer, now);
    const idle = [...state.pending.values()]
      .filter((p) => now - p.deliveredAt >= minIdleMs)
      .sort((a, b) => a.entry.seq - b.entry.seq)
      .slice(0, count);
    return idle.map((p) => {
      p.consumer = consumer;
      p.deliveryCount += 1;
      p.deliveredAt = now;
      return this.toDelivery(p);
    });
  }

  /** XREADGROUP `>`: the next undelivered entries, now pending with a delivery count of 1. */
  readNew(group: string, consumer: string, count: number): RawDelivery[] {
    const state = this.group(group);
    const now = Date.now();
    state.consumers.set(consumer, now);
    const first = this.entries[0];
    if (first === undefined) {
      return [];
    }
    const start = Math.max(0, state.lastDeliveredSeq + 1 - first.seq);
    const taken = this.entries.slice(start, start + count);
    const last = taken[taken.length - 1];
    if (last !== undefined) {
      state.lastDeliveredSeq = last.seq;
      state.lastDeliveredId = last.id;
    }
    return taken.map((entry) => {
      const pending = { entry, consumer, deliveryCount: 1, deliveredAt: now };
      state.pending.set(entry.id, pending);
      return this.toDelivery(pending);
    });
  }

  ack(group: string, ids: readonly string[]): void {
    const state = this.group(group);
    for (const id of ids) {
      state.pending.delete(id);
    }
    this.wakeAll(this.spaceWaiters);
  }

  heartbeat(group: string, consumer: string, ids: readonly string[]): void {
    const state = this.group(group);
    const now = Date.now();
    state.consumers.set(consumer, now);
    for (const id of ids) {
      const pending = state.pending.get(id);
      if (pending !== undefined && pending.consumer === consumer) {
        pending.deliveredAt = now;
      }
    }
  }

  deadLetter(group: string, consumer: string, delivery: RawDelivery, reason: string): void {
    this.deadLetterSeq += 1;
    this.deadLetterLog.push({
      id: `${Date.now()}-${this.deadLetterSeq}`,
      topic: this.topic,
      originalId: delivery.id,
      group,
      consumer,
      reason,
      deliveryCount: delivery.deliveryCount,
      data: delivery.data,
      attributes: delivery.attributes,
      deadLetteredAt: Instant.now(),
    });
    if (this.deadLetterLog.length > 10_000) {
      this.deadLetterLog.shift();
    }
    this.deadLetterCounts.set(group, (this.deadLetterCounts.get(group) ?? 0) + 1);
    this.ack(group, [delivery.id]);
  }

  deadLetters(limit: number): DeadLetter[] {
    return this.deadLetterLog.slice(-limit);
  }

  /** Waits until something is appended, `ms` passes, or the returned cancel function is called. */
  waitForData(ms: number): { done: Promise<void>; cancel: () => void } {
    let cancel: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.dataWaiters.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.dataWaiters.add(finish);
      cancel = finish;
    });
    return { done, cancel };
  }

  maintain(settings: MemoryMaintenanceSettings): MaintenanceResult {
    const now = Date.now();
    const keep = new Set(settings.keepConsumers ?? []);
    const removedConsumers: string[] = [];
    for (const state of this.groups.values()) {
      for (const [name, seenAt] of [...state.consumers]) {
        const idle = now - seenAt > settings.idleConsumerThresholdMs;
        const hasPending = [...state.pending.values()].some((p) => p.consumer === name);
        if (idle && !hasPending && !keep.has(name)) {
          state.consumers.delete(name);
          removedConsumers.push(name);
        }
      }
    }
    const floor = this.trimFloorSeq(settings.idleConsumerThresholdMs, settings.trimRetainMs, [...keep]);
    const minId = this.entries.find((entry) => entry.seq >= floor)?.id ?? null;
    const trimmed = this.trimTo(floor);
    return { trimmed, removedConsumers, minId: trimmed > 0 ? minId : null };
  }

  describe(): TopicDescription {
    const now = Date.now();
    const groups: GroupDescription[] = [...this.groups].map(([name, state]) => {
      const pendingBy = new Map<string, number>();
      for (const p of state.pending.values()) {
        pendingBy.set(p.consumer, (pendingBy.get(p.consumer) ?? 0) + 1);
      }
      return {
        name,
        consumers: [...state.consumers].map(([consumer, seenAt]) => ({
          name: consumer,
          idleMs: now - seenAt,
          pending: pendingBy.get(consumer) ?? 0,
        })),
        pending: state.pending.size,
        lastDeliveredId: state.lastDeliveredId,
        lag: this.entries.filter((entry) => entry.seq > state.lastDeliveredSeq).length,
        deadLetters: this.deadLetterCounts.get(name) ?? 0,
      };
    });
    return {
      topic: this.topic,
      exists: this.nextSeq > 1 || this.groups.size > 0,
      length: this.entries.length,
      lastGeneratedId: this.lastGeneratedId,
      groups,
      deadLetters: this.deadLetterLog.length,
    };
  }

  /** Registers a tail from "now": it sees only entries appended after this call. */
  openTail(
    capacity: number,
    handle: (message: BusMessage<unknown>) => Promise<void> | void,
  ): { stop: () => Promise<void>; running: () => boolean } {
    const buffer = new MemoryTailBuffer(capacity);
    this.tails.add(buffer);
    let stopping = false;
    const loop = (async () => {
      while (!stopping) {
        const message = buffer.queue.shift();
        if (message === undefined) {
          await new Promise<void>((resolve) => {
            buffer.wake = resolve;
          });
          buffer.wake = null;
          continue;
        }
        try {
          await handle(message);
        } catch (error) {
          this.logger.warn(`tail handler failed on ${message.id}: ${errorText(error)}`);
        }
      }
    })();
    let running = true;
    return {
      running: () => running,
      stop: async () => {
        stopping = true;
        this.tails.delete(buffer);
        buffer.wake?.();
        await loop;
        running = false;
      },
    };
  }

  /** The lowest seq to keep: no live group's pending or undelivered entry, nor anything recent, goes. */
  private trimFloorSeq(idleThresholdMs: number, retainMs: number, keep: readonly string[]): number {
    const now = Date.now();
    let floor = Number.POSITIVE_INFINITY;
    for (const state of this.groups.values()) {
      const active = [...state.consumers].some(
        ([name, seenAt]) => keep.includes(name) || now - seenAt <= idleThresholdMs,
      );
      if (!active && state.pending.size === 0) {
        continue;
      }
      floor = Math.min(floor, state.lastDeliveredSeq);
      for (const p of state.pending.values()) {
        floor = Math.min(floor, p.entry.seq);
      }
    }
    if (retainMs > 0) {
      const recent = this.entries.find((entry) => Number(entry.id.split('-')[0]) >= now - retainMs);
      floor = Math.min(floor, recent?.seq ?? this.nextSeq);
    }
    // Like XTRIM MINID <last-generated-id>: with nobody to protect, the newest entry still stays.
    return Number.isFinite(floor) ? floor : this.nextSeq - 1;
  }

  private trimTo(floorSeq: number): number {
    let trimmed = 0;
    while (this.entries.length > 0 && this.entries[0]!.seq < floorSeq) {
      this.entries.shift();
      trimmed += 1;
    }
    if (trimmed > 0) {
      this.wakeAll(this.spaceWaiters);
    }
    return trimmed;
  }

  private toTails(entry: MemoryEntry): void {
    if (this.tails.size === 0) {
      return;
    }
    let message: BusMessage<unknown>;
    try {
      message = decodeDeliverySync(this.topic, entry);
    } catch (error) {
      this.logger.warn(`tail skipped ${entry.id}: ${errorText(error)}`);
      return;
    }
    for (const tail of this.tails) {
      if (tail.queue.length >= tail.capacity) {
        tail.dropped += 1;
        if (tail.dropped === 1 || tail.dropped % 1000 === 0) {
          this.logger.warn(`a tail of ${this.topic} is full: dropped ${tail.dropped} messages`);
        }
        continue;
      }
      tail.queue.push(message);
      tail.wake?.();
    }
  }

  private group(name: string): MemoryGroup {
    const state = this.groups.get(name);
    if (state === undefined) {
      throw new Error(`NOGROUP no consumer group ${name} on ${this.topic}`);
    }
    return state;
  }

  private toDelivery(p: PendingEntry): RawDelivery {
    return {
      id: p.entry.id,
      data: p.entry.data,
      attributes: p.entry.attributes,
      deliveryCount: p.deliveryCount,
    };
  }

  private nextId(): string {
    const now = Date.now();
    if (now > this.lastMs) {
      this.lastMs = now;
      this.lastSub = 0;
    } else {
      this.lastSub += 1;
    }
    this.lastGeneratedId = `${this.lastMs}-${this.lastSub}`;
    return this.lastGeneratedId;
  }

  private waitOn(waiters: Set<() => void>, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        waiters.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      waiters.add(finish);
    });
  }

  private wakeAll(waiters: Set<() => void>): void {
    for (const wake of [...waiters]) {
      wake();
    }
  }
}

function decodeDeliverySync(topic: string, entry: MemoryEntry): BusMessage<unknown> {
  return {
    id: entry.id,
    topic,
    data: JSON.parse(entry.data) as unknown,
    attributes: decodeAttributes(entry.attributes),
    deliveryCount: 1,
    publishedAt: Instant.fromEpochMillis(Number(entry.id.split('-')[0])),
  };
}
