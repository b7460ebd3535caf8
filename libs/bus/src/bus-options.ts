import { type BusMessage } from './bus-message';

/** Timing and retry knobs of a durable consumer. Defaults follow spec §4.4 (upstream's Redis broker). */
export interface ConsumerTuning {
  /** XREADGROUP BLOCK: how long one read waits for new messages. */
  readonly blockMs: number;
  /** A pending entry idle this long is reclaimed (XAUTOCLAIM) by any consumer of the group. */
  readonly minIdleMs: number;
  /**
   * Deliveries before a failing message goes to dead letters: with 4 a message is handled once
   * and retried 3 times (upstream's MAX_RETRIES = 3), counted by the broker across replicas.
   */
  readonly maxDeliveries: number;
  /** COUNT of one read. */
  readonly readBatchSize: number;
  /** How often a consumer trims its stream and removes idle consumers. */
  readonly trimIntervalMs: number;
  /** A consumer idle this long with nothing pending is removed; a group whose consumers all are is ignored by trimming. */
  readonly idleConsumerThresholdMs: number;
  /** Trimming keeps at least this much recent history (protects ephemeral tails that lag a little). */
  readonly trimRetainMs: number;
  /** Reconnect back-off after a broker error: exponential from base to max, with full jitter. */
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
}

export const DEFAULT_CONSUMER_TUNING: ConsumerTuning = {
  blockMs: 1000,
  minIdleMs: 5000,
  maxDeliveries: 4,
  readBatchSize: 1,
  trimIntervalMs: 60_000,
  idleConsumerThresholdMs: 300_000,
  trimRetainMs: 60_000,
  backoffBaseMs: 1000,
  backoffMaxMs: 60_000,
};

export interface DedupeOptions {
  /** How long a published attribute value is remembered (spec §3.4: 300 s). */
  readonly ttlSeconds?: number;
  /** Redis key prefix (spec §3.4: `message:messaging-cache:`). */
  readonly keyPrefix?: string;
  /** Entries kept by the in-memory cache (spec §3.4: 1000). */
  readonly memoryMaxEntries?: number;
}

export interface RedisBusOptions {
  readonly url: string;
  /** Shown in CLIENT LIST, handy when debugging a cluster of replicas. */
  readonly connectionName?: string;
  /** Give up a connection attempt after this long (ioredis' default, 10 s, when absent). */
  readonly connectTimeoutMs?: number;
  /**
   * A connection that waits this long for a reply is dropped and reconnected (none when absent).
   * Never shorter than a blocking read: it is raised to the block time plus one second.
   */
  readonly socketTimeoutMs?: number;
  /** PING the command connection this often, so a dead one is noticed while idle (0 or absent: never). */
  readonly healthCheckIntervalMs?: number;
}

export interface MemoryBusOptions {
  /** Messages a topic holds before `publish` waits for consumers (backpressure). */
  readonly maxStreamLength?: number;
  /** How long a publish waits for room before failing with BusBackpressureError. */
  readonly publishTimeoutMs?: number;
  /** Messages buffered per ephemeral tail; beyond this the tail drops (and logs) messages. */
  readonly tailBufferSize?: number;
}

/**
 * Called once per publish of `count` messages to `topic`: returns attributes (trace context, e.g.
 * `traceparent`) for every outgoing message. Telemetry plugs in here (publish span, published count).
 */
export interface BusContextPropagator {
  inject(topic: string, count: number): Record<string, string>;
}

/** What a handler interceptor sees: one call of a handler (one message, or one batch). */
export interface BusHandlerContext {
  readonly topic: string;
  readonly group: string;
  readonly consumerName: string;
  readonly messages: readonly BusMessage<unknown>[];
}

/**
 * Wraps every handler call (spans linked through `traceparent`, metrics): call `next()` exactly once
 * and return (or rethrow) its outcome; the ack decision follows what this returns.
 */
export type BusHandlerInterceptor = (context: BusHandlerContext, next: () => Promise<void>) => Promise<void>;

/** Says whether a handler error is a dependency outage (retry in place) rather than a failed delivery. */
export type TransientErrorClassifier = (error: unknown) => boolean;

export interface BusOptions {
  readonly driver: 'redis' | 'memory';
  readonly redis?: RedisBusOptions;
  readonly memory?: MemoryBusOptions;
  /** Defaults for every consumer; a consumer's own settings win. */
  readonly consumer?: Partial<ConsumerTuning>;
  readonly dedupe?: DedupeOptions;
  readonly propagator?: BusContextPropagator;
  readonly interceptor?: BusHandlerInterceptor;
  /**
   * Handler errors that mean "a dependency is down, not this message is bad" (e.g. the database is
   * unreachable). The consumer keeps the messages and calls the handler again with back-off until it
   * succeeds or the consumer stops; such a failure never counts towards `maxDeliveries`, so an
   * outage longer than the retries cannot dead-letter good messages. Broker errors
   * (`isBrokerUnavailableError`) are always transient.
   */
  readonly isTransientError?: TransientErrorClassifier;
  /**
   * (topic, group) pairs this process must consume, e.g. those of its enabled services: the boot
   * fails if no @OnStreamMessage handler declares one of them (a missing handler is a wiring bug).
   */
  readonly requireHandlers?: readonly { readonly topic: string; readonly group: string }[];
}

export function resolveTuning(...layers: (Partial<ConsumerTuning> | undefined)[]): ConsumerTuning {
  const merged: Record<string, number> = { ...DEFAULT_CONSUMER_TUNING };
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer ?? {})) {
      if (value !== undefined) {
        merged[key] = value;
      }
    }
  }
  const tuning = merged as unknown as ConsumerTuning;
  for (const [key, value] of Object.entries(tuning)) {
    const allowZero = key === 'trimRetainMs';
    if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
      throw new RangeError(`bus consumer setting ${key} must be a positive number, got ${String(value)}`);
    }
  }
  return tuning;
}
