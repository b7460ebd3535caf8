import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import Redis, { type RedisOptions } from 'ioredis';
import { Instant } from '@orrery/domain';
import {
  type BusMessage,
  type DeadLetter,
  type OutgoingMessage,
  type PublishOptions,
  type PublishResult,
} from '../bus-message';
import {
  type BusContextPropagator,
  type BusHandlerInterceptor,
  type TransientErrorClassifier,
  type ConsumerTuning,
  type DedupeOptions,
  type RedisBusOptions,
  resolveTuning,
} from '../bus-options';
import {
  type ConsumerHandle,
  type ConsumerSpec,
  type MaintenanceOptions,
  type MaintenanceResult,
  type TailHandle,
  type TailOptions,
  type TopicDescription,
} from '../consumer-spec';
import { makeConsumerName } from '../consumer-name';
import { errorText } from '../message-codec';
import { MessageBus } from '../message-bus';
import { encodeForPublish } from '../publish-batch';
import { StreamConsumerRunner } from '../stream-consumer.runner';
import { RedisDedupeCache } from './redis-dedupe.cache';
import { deadLetterStreamKey } from './redis-keys';
import { asNumber, parseEntries } from './redis-reply';
import { RedisStreamTail } from './redis-stream.tail';
import { RedisStreamTransport } from './redis-stream.transport';
import { inspectRedisTopic, maintainRedisStream } from './redis-topic.inspector';

/** De-dup claims and XADDs of one publish, atomically, in one round trip (see publishMany). */
const PUBLISH_LUA = `
local ttl = tonumber(ARGV[1])
local maxlen = ARGV[2]
local ids = {}
local key = 2
local n = (#ARGV - 2) / 3
for i = 1, n do
  local base = 3 + (i - 1) * 3
  local fresh = true
  if ARGV[base] == '1' then
    fresh = redis.call('SET', KEYS[key], '1', 'EX', ttl, 'NX')
    key = key + 1
  end
  if fresh then
    if maxlen == '' then
      ids[i] = redis.call('XADD', KEYS[1], '*', 'data', ARGV[base + 1], 'attributes', ARGV[base + 2])
    else
      ids[i] = redis.call('XADD', KEYS[1], 'MAXLEN', '~', maxlen, '*', 'data', ARGV[base + 1], 'attributes', ARGV[base + 2])
    end
  else
    ids[i] = false
  end
end
return ids
`;
const PUBLISH_SCRIPT = { lua: PUBLISH_LUA, sha: createHash('sha1').update(PUBLISH_LUA).digest('hex') };

/** How long the command connection must have been down before commands fail without trying. */
const OUTAGE_AFTER_MS = 1000;

export interface RedisStreamsBusOptions {
  readonly redis: RedisBusOptions;
  readonly consumer?: Partial<ConsumerTuning>;
  readonly dedupe?: DedupeOptions;
  readonly propagator?: BusContextPropagator;
  readonly interceptor?: BusHandlerInterceptor;
  readonly isTransientError?: TransientErrorClassifier;
}

/** The Redis Streams driver: one shared command connection plus one blocking connection per loop. */
export class RedisStreamsBus extends MessageBus {
  private readonly logger = new Logger(RedisStreamsBus.name);
  private readonly commands: Redis;
  private readonly dedupe: RedisDedupeCache;
  private readonly consumers = new Set<ConsumerHandle>();
  private readonly tails = new Set<TailHandle>();
  private readonly defaults: ConsumerTuning;
  private closed = false;
  /** When the command connection was lost, while it is; null while connected. */
  private downSince: number | null = null;
  private readonly healthCheck: NodeJS.Timeout | null = null;

  constructor(private readonly options: RedisStreamsBusOptions) {
    super();
    this.defaults = resolveTuning(options.consumer);
    // Commands issued in the same tick (publishes of concurrent requests, acks) share one write.
    this.commands = this.openConnection({ enableAutoPipelining: true });
    this.commands.on('close', () => (this.downSince ??= Date.now()));
    this.commands.on('ready', () => (this.downSince = null));
    const every = options.redis.healthCheckIntervalMs ?? 0;
    if (every > 0) {
      // An idle connection whose peer vanished is found by this PING, not by the next publish.
      this.healthCheck = setInterval(() => void this.commands.ping().catch(() => undefined), every);
      this.healthCheck.unref();
    }
    this.dedupe = new RedisDedupeCache(
      this.commands,
      options.dedupe?.keyPrefix ?? 'message:messaging-cache:',
      options.dedupe?.ttlSeconds ?? 300,
    );
  }

  async publishMany(
    topic: string,
    messages: readonly OutgoingMessage[],
    options?: PublishOptions,
  ): Promise<PublishResult> {
    this.assertOpen();
    this.assertReachable();
    const encoded = encodeForPublish(messages, options, this.options.propagator, topic);
    const result: PublishResult = messages.map(() => null);
    if (encoded.length === 0) {
      return result;
    }
    // One round trip: the de-dup claims and the XADDs run in one script (KEYS: the stream, then
    // the de-dup key of each keyed message; ARGV: ttl, MAXLEN or '', then per message whether it
    // has a key, its data and its attributes). A duplicate's reply is nil.
    const keys = [topic];
    const args: (string | number)[] = [this.dedupe.ttl, options?.maxLen ?? ''];
    for (const message of encoded) {
      if (message.dedupeValue !== undefined) keys.push(this.dedupe.keyOf(message.dedupeValue));
      args.push(message.dedupeValue === undefined ? 0 : 1, message.data, message.attributes);
    }
    const claimed = encoded.flatMap((m) => (m.dedupeValue === undefined ? [] : [m.dedupeValue]));
    try {
      const ids = (await this.commands
        .evalsha(PUBLISH_SCRIPT.sha, keys.length, ...keys, ...args)
        .catch((error: unknown) => {
          if (!String(error).includes('NOSCRIPT')) throw error;
          return this.commands.eval(PUBLISH_SCRIPT.lua, keys.length, ...keys, ...args);
        })) as (string | null)[];
      encoded.forEach((message, i) => {
        const id = ids[i];
        result[message.index] = id === null || id === undefined ? null : String(id);
      });
    } catch (error) {
      // Forget the de-dup claims so that the caller's retry is not dropped as a duplicate.
      await this.dedupe.forget(claimed).catch((forgetError: unknown) => {
        this.logger.error(`could not forget de-dup keys after a failed publish: ${errorText(forgetError)}`);
      });
      throw error;
    }
    return result;
  }

  consume<T>(spec: ConsumerSpec<T>): ConsumerHandle {
    this.assertOpen();
    const tuning = resolveTuning(this.options.consumer, spec.tuning);
    const consumerName = spec.consumerName ?? makeConsumerName(spec.group);
    const transports = Array.from(
      { length: Math.max(1, spec.concurrency ?? 1) },
      () =>
        new RedisStreamTransport({
          commands: this.commands,
          openConnection: () => this.openConnection(),
          topic: spec.topic,
          group: spec.group,
          consumerName,
          tuning,
        }),
    );
    const runner: StreamConsumerRunner<T> = new StreamConsumerRunner(
      spec,
      tuning,
      transports,
      () => this.consumers.delete(runner),
      this.options.interceptor,
      this.options.isTransientError,
    );
    this.consumers.add(runner);
    runner.start();
    return runner;
  }

  async tail(
    topic: string,
    handle: (message: BusMessage<unknown>) => Promise<void> | void,
    options?: TailOptions,
  ): Promise<TailHandle> {
    this.assertOpen();
    const tail = new RedisStreamTail(
      () => this.openConnection(),
      topic,
      handle,
      options?.blockMs ?? this.defaults.blockMs,
      options?.readBatchSize ?? 100,
      { baseMs: this.defaults.backoffBaseMs, maxMs: this.defaults.backoffMaxMs },
    );
    await tail.start();
    this.tails.add(tail);
    return {
      isRunning: () => tail.isRunning(),
      stop: async () => {
        this.tails.delete(tail);
        await tail.stop();
      },
    };
  }

  describe(topic: string): Promise<TopicDescription> {
    return inspectRedisTopic(this.commands, topic);
  }

  async deadLetters(topic: string, limit = 100): Promise<DeadLetter[]> {
    const reply = await this.commands.call('XREVRANGE', deadLetterStreamKey(topic), '+', '-', 'COUNT', limit);
    return parseEntries(reply)
      .reverse()
      .map((entry) => {
        const f = entry.fields ?? {};
        return {
          id: entry.id,
          topic,
          originalId: f['original_id'] ?? '',
          group: f['group'] ?? '',
          consumer: f['consumer'] ?? '',
          reason: f['reason'] ?? '',
          deliveryCount: asNumber(f['delivery_count']),
          data: f['data'] ?? null,
          attributes: f['attributes'] ?? null,
          deadLetteredAt: Instant.tryParse(f['dead_lettered_at'] ?? '') ?? Instant.EPOCH,
        };
      });
  }

  maintain(topic: string, options?: MaintenanceOptions): Promise<MaintenanceResult> {
    return maintainRedisStream(this.commands, topic, {
      idleConsumerThresholdMs: options?.idleConsumerThresholdMs ?? this.defaults.idleConsumerThresholdMs,
      trimRetainMs: options?.trimRetainMs ?? this.defaults.trimRetainMs,
      keepConsumers: options?.keepConsumers,
    });
  }

  async ping(): Promise<void> {
    this.assertOpen();
    if (this.commands.status !== 'ready') throw new Error('Connection is closed.');
    await this.commands.ping();
  }

  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    if (this.healthCheck !== null) clearInterval(this.healthCheck);
    await Promise.all([...this.consumers].map((consumer) => consumer.stop()));
    await Promise.all([...this.tails].map((tail) => tail.stop()));
    await this.commands.quit().catch(() => this.commands.disconnect());
  }

  /** A connection of its own; blocking readers must not auto-pipeline (a blocked read holds the batch). */
  private openConnection(extra: RedisOptions = {}): Redis {
    const { connectTimeoutMs, socketTimeoutMs } = this.options.redis;
    const connection = new Redis(this.options.redis.url, {
      connectionName: this.options.redis.connectionName ?? 'orrery-bus',
      // Fail commands quickly while Redis is away: the consume loops back off and retry themselves.
      maxRetriesPerRequest: 1,
      ...(connectTimeoutMs === undefined ? {} : { connectTimeout: connectTimeoutMs }),
      ...(socketTimeoutMs === undefined
        ? {}
        : { socketTimeout: Math.max(socketTimeoutMs, this.defaults.blockMs + 1000) }),
      ...extra,
    });
    // ioredis reconnects by itself and emits an error per attempt: log the first, then one a minute.
    let lastLogged = 0;
    let suppressed = 0;
    connection.on('error', (error: Error) => {
      const now = Date.now();
      if (now - lastLogged < 60_000) {
        suppressed += 1;
        return;
      }
      this.logger.warn(
        `redis connection error: ${error.message}${suppressed > 0 ? ` (${suppressed} more since last report)` : ''}`,
      );
      lastLogged = now;
      suppressed = 0;
    });
    return connection;
  }

  /**
   * Once the command connection has been down for a while (an outage, not a blip), a command would
   * only queue behind ioredis's next reconnect attempt (up to seconds): fail at once instead, with
   * the error ioredis itself gives (`isBrokerUnavailableError`), so a request gets its 503 quickly.
   * A connection dropped a moment ago is let through: it is usually back before the command fails.
   */
  private assertReachable(): void {
    if (this.downSince !== null && Date.now() - this.downSince > OUTAGE_AFTER_MS) {
      throw new Error('Connection is closed.');
    }
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new Error('the bus is closed');
    }
  }
}
