// Causal ordering for the triggers service (spec-services-events-ha §3.5): an event that declares
// `follows` is evaluated after its leader. `memory` keeps the state in this process (embedded);
// `redis` shares it between replicas (HA), with upstream's keys under a prefix.
import type { TriggeringEvent } from '@orrery/automations';
import type Redis from 'ioredis';
import { PRECEDING_EVENT_LOOKBACK_MS } from './trigger-logic';

export const SEEN_TTL_MS = 30 * 60 * 1000;
export const MAX_DEPTH = 20;
export const IN_FLIGHT_WAIT_MS = 8000;
export const PROCESSING_TTL_MS = 16_000;
const POLL_MS = 250;

/** The event was parked until its leader is seen: acknowledge it, it is safe in the store. */
export class EventArrivedEarly extends Error {}
/** Another consumer is handling this very event: leave it pending (retried). */
export class EventBeingProcessed extends Error {}
export class MaxDepthExceeded extends Error {}

/** The store behind §3.5. */
export interface OrderingStore {
  seen(id: string): Promise<boolean>;
  /** NX lock on the event; false if someone else holds it. */
  claim(id: string): Promise<boolean>;
  processing(id: string): Promise<boolean>;
  park(event: TriggeringEvent): Promise<void>;
  /** True when the event is still parked under its leader (so this caller may unpark it). */
  isFollowerOf(leader: string, id: string): Promise<boolean>;
  /** Success: mark seen, release the claim, and claim the followers parked on it. */
  complete(id: string): Promise<TriggeringEvent[]>;
  release(id: string): Promise<void>;
  forget(event: TriggeringEvent): Promise<void>;
  /** Parked events whose `received` is at or before `beforeMs`, removed from the waitlist. */
  takeLost(beforeMs: number): Promise<TriggeringEvent[]>;
  close?(): Promise<void>;
}

const byOccurred = (a: TriggeringEvent, b: TriggeringEvent) =>
  Date.parse(a.occurred) - Date.parse(b.occurred);

/** Waits `ms`, or rejects with the signal's reason as soon as it is aborted. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const aborted = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', aborted);
      resolve();
    }, ms);
    signal?.addEventListener('abort', aborted, { once: true });
  });
}

/**
 * Runs `handle` for the event in causal order, then its followers. Throws EventArrivedEarly when the
 * event was parked (acknowledge it) and EventBeingProcessed when another consumer holds it. Aborting
 * `signal` ends the wait for an in-flight leader: the claim is released and the abort reason thrown.
 */
export async function inCausalOrder(
  store: OrderingStore,
  event: TriggeringEvent,
  handle: (event: TriggeringEvent) => Promise<void>,
  depth = 0,
  now: () => number = Date.now,
  signal?: AbortSignal,
): Promise<void> {
  if (depth > MAX_DEPTH)
    throw new MaxDepthExceeded(`event ${event.id} is more than ${MAX_DEPTH} followers deep`);
  if (!(await store.claim(event.id))) throw new EventBeingProcessed(`event ${event.id} is being processed`);
  try {
    const leader = event.follows;
    if (
      leader !== null &&
      leader !== event.id &&
      now() - Date.parse(event.received) < PRECEDING_EVENT_LOOKBACK_MS &&
      !(await store.seen(leader))
    ) {
      const deadline = now() + IN_FLIGHT_WAIT_MS;
      while ((await store.processing(leader)) && now() < deadline && !(await store.seen(leader))) {
        await pause(POLL_MS, signal);
      }
      if (!(await store.seen(leader))) {
        await store.park(event);
        if (!((await store.seen(leader)) && (await store.isFollowerOf(leader, event.id)))) {
          throw new EventArrivedEarly(`event ${event.id} waits for ${leader}`);
        }
      }
    }
    await handle(event);
  } catch (error) {
    await store.release(event.id);
    throw error;
  }
  const followers = await store.complete(event.id);
  await store.forget(event);
  for (const follower of followers.sort(byOccurred)) {
    try {
      await inCausalOrder(store, follower, handle, depth + 1, now, signal);
    } catch (error) {
      if (!(error instanceof EventArrivedEarly)) throw error;
    }
  }
}

/**
 * `inCausalOrder` for an event delivered by the stream. When another consumer holds the event's
 * processing claim, waits (polling every 0.25 s) until the holder is done — the event is seen,
 * nothing is left to do — or its claim is gone — released after a failure, or expired because the
 * holder died (`PROCESSING_TTL_MS` after it took it, at the latest) — and then evaluates it. The
 * delivery stays pending (the consumer's heartbeat keeps it) while it waits. Raising
 * EventBeingProcessed to the consumer instead would spend the message's deliveries on somebody
 * else's claim: survivors reclaim a killed replica's message every min-idle time (5 s), so its
 * fourth delivery could come before the 16 s claim expired, and it went to dead letters — its
 * firing lost. Throws EventBeingProcessed only if the claim is still held after a full TTL.
 * Aborting `signal` (the service stops) ends any wait at once with the abort reason, the event not
 * evaluated: the caller leaves its delivery pending.
 */
export async function inCausalOrderOnceFree(
  store: OrderingStore,
  event: TriggeringEvent,
  handle: (event: TriggeringEvent) => Promise<void>,
  signal?: AbortSignal,
  now: () => number = Date.now,
): Promise<void> {
  const deadline = now() + PROCESSING_TTL_MS + POLL_MS;
  for (;;) {
    signal?.throwIfAborted();
    if (await store.seen(event.id)) return;
    try {
      await inCausalOrder(store, event, handle, 0, now, signal);
      return;
    } catch (error) {
      if (!(error instanceof EventBeingProcessed) || now() >= deadline) throw error;
    }
    await pause(POLL_MS, signal);
  }
}

/**
 * An event no trigger is interested in needs no claim and no wait: it is marked seen (one round trip)
 * so that its followers proceed, and the followers parked on it are evaluated in order.
 */
export async function passThrough(
  store: OrderingStore,
  event: TriggeringEvent,
  handle: (event: TriggeringEvent) => Promise<void>,
): Promise<void> {
  const followers = await store.complete(event.id);
  for (const follower of followers.sort(byOccurred)) {
    try {
      await inCausalOrder(store, follower, handle, 1);
    } catch (error) {
      if (!(error instanceof EventArrivedEarly)) throw error;
    }
  }
}

/** One process (embedded): maps with expiry. */
export class MemoryOrderingStore implements OrderingStore {
  private readonly seenUntil = new Map<string, number>();
  private readonly claims = new Map<string, number>();
  private readonly parked = new Map<string, TriggeringEvent>();
  private readonly followers = new Map<string, Set<string>>();

  constructor(private readonly now: () => number = Date.now) {}

  seen(id: string): Promise<boolean> {
    const until = this.seenUntil.get(id);
    if (until !== undefined && until <= this.now()) this.seenUntil.delete(id);
    return Promise.resolve(until !== undefined && until > this.now());
  }
  claim(id: string): Promise<boolean> {
    const until = this.claims.get(id);
    if (until !== undefined && until > this.now()) return Promise.resolve(false);
    this.claims.set(id, this.now() + PROCESSING_TTL_MS);
    return Promise.resolve(true);
  }
  processing(id: string): Promise<boolean> {
    return Promise.resolve((this.claims.get(id) ?? 0) > this.now());
  }
  park(event: TriggeringEvent): Promise<void> {
    this.parked.set(event.id, event);
    const set = this.followers.get(event.follows!) ?? new Set<string>();
    set.add(event.id);
    this.followers.set(event.follows!, set);
    return Promise.resolve();
  }
  isFollowerOf(leader: string, id: string): Promise<boolean> {
    return Promise.resolve(this.followers.get(leader)?.has(id) ?? false);
  }
  complete(id: string): Promise<TriggeringEvent[]> {
    this.seenUntil.set(id, this.now() + SEEN_TTL_MS);
    this.claims.delete(id);
    const ids = [...(this.followers.get(id) ?? [])];
    this.followers.delete(id);
    if (this.seenUntil.size > 100_000) this.prune();
    return Promise.resolve(
      ids.map((f) => this.parked.get(f)).filter((e): e is TriggeringEvent => e !== undefined),
    );
  }
  release(id: string): Promise<void> {
    this.claims.delete(id);
    return Promise.resolve();
  }
  forget(event: TriggeringEvent): Promise<void> {
    this.parked.delete(event.id);
    if (event.follows !== null) this.followers.get(event.follows)?.delete(event.id);
    return Promise.resolve();
  }
  takeLost(beforeMs: number): Promise<TriggeringEvent[]> {
    const lost = [...this.parked.values()].filter((e) => Date.parse(e.received) <= beforeMs);
    for (const e of lost) this.parked.delete(e.id);
    return Promise.resolve(lost.sort(byOccurred));
  }
  private prune(): void {
    const now = this.now();
    for (const [id, until] of this.seenUntil) if (until <= now) this.seenUntil.delete(id);
  }
}

/** Completion in one script: mark seen, claim and drop the follower set, release the claim. */
const COMPLETE = `
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
local followers = redis.call('SMEMBERS', KEYS[2])
redis.call('DEL', KEYS[2], KEYS[3])
return followers`;

/** Lost followers in one script: take waitlist members scored at or below ARGV[1]. */
const TAKE_LOST = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if #ids > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1]) end
return ids`;

/** HA: upstream's `prefect_redis.ordering` keys (`triggers:*`) under `prefix`. */
export class RedisOrderingStore implements OrderingStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = '',
  ) {}

  private key(...parts: string[]): string {
    return `${this.prefix}triggers:${parts.join(':')}`;
  }
  async seen(id: string): Promise<boolean> {
    return (await this.redis.exists(this.key('seen', id))) === 1;
  }
  async claim(id: string): Promise<boolean> {
    return (await this.redis.set(this.key('processing', id), '1', 'PX', PROCESSING_TTL_MS, 'NX')) === 'OK';
  }
  async processing(id: string): Promise<boolean> {
    return (await this.redis.exists(this.key('processing', id))) === 1;
  }
  async park(event: TriggeringEvent): Promise<void> {
    await this.redis
      .multi()
      .set(this.key('event', event.id), JSON.stringify(event), 'PX', SEEN_TTL_MS)
      .sadd(this.key('followers', event.follows!), event.id)
      .zadd(this.key('waitlist'), Date.parse(event.received), event.id)
      .exec();
  }
  async isFollowerOf(leader: string, id: string): Promise<boolean> {
    return (await this.redis.sismember(this.key('followers', leader), id)) === 1;
  }
  async complete(id: string): Promise<TriggeringEvent[]> {
    const ids = (await this.redis.eval(
      COMPLETE,
      3,
      this.key('seen', id),
      this.key('followers', id),
      this.key('processing', id),
      SEEN_TTL_MS,
    )) as string[];
    return this.events(ids);
  }
  async release(id: string): Promise<void> {
    await this.redis.del(this.key('processing', id));
  }
  async forget(event: TriggeringEvent): Promise<void> {
    if (event.follows === null) return;
    await this.redis
      .multi()
      .zrem(this.key('waitlist'), event.id)
      .srem(this.key('followers', event.follows), event.id)
      .del(this.key('event', event.id))
      .exec();
  }
  async takeLost(beforeMs: number): Promise<TriggeringEvent[]> {
    const ids = (await this.redis.eval(TAKE_LOST, 1, this.key('waitlist'), beforeMs)) as string[];
    return (await this.events(ids)).sort(byOccurred);
  }
  async close(): Promise<void> {
    this.redis.disconnect();
    return Promise.resolve();
  }
  private async events(ids: readonly string[]): Promise<TriggeringEvent[]> {
    if (ids.length === 0) return [];
    const values = await this.redis.mget(ids.map((id) => this.key('event', id)));
    return values.filter((v): v is string => v !== null).map((v) => JSON.parse(v) as TriggeringEvent);
  }
}
