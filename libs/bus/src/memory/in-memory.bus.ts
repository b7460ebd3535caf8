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
  type MemoryBusOptions,
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
import { MemoryDedupeCache } from '../memory-dedupe.cache';
import { MessageBus } from '../message-bus';
import { preparePublish } from '../publish-batch';
import { StreamConsumerRunner } from '../stream-consumer.runner';
import { MemoryStream } from './memory-stream';
import { MemoryStreamTransport } from './memory-stream.transport';

export interface InMemoryBusOptions {
  readonly memory?: MemoryBusOptions;
  readonly consumer?: Partial<ConsumerTuning>;
  readonly dedupe?: DedupeOptions;
  readonly propagator?: BusContextPropagator;
  readonly interceptor?: BusHandlerInterceptor;
  readonly isTransientError?: TransientErrorClassifier;
}

/**
 * The single-process driver (embedded mode): Redis Streams semantics in memory. Groups are real
 * (fan-out across groups, load sharing within one), deliveries are counted per pending entry, and a
 * full topic makes `publish` wait (then fail) rather than drop messages.
 */
export class InMemoryBus extends MessageBus {
  private readonly streams = new Map<string, MemoryStream>();
  private readonly consumers = new Set<ConsumerHandle>();
  private readonly tails = new Set<TailHandle>();
  private readonly dedupe: MemoryDedupeCache;
  private readonly defaults: ConsumerTuning;
  private closed = false;

  constructor(private readonly options: InMemoryBusOptions = {}) {
    super();
    this.defaults = resolveTuning(options.consumer);
    this.dedupe = new MemoryDedupeCache(
      (options.dedupe?.ttlSeconds ?? 300) * 1000,
      options.dedupe?.memoryMaxEntries ?? 1000,
    );
  }

  async publishMany(
    topic: string,
    messages: readonly OutgoingMessage[],
    options?: PublishOptions,
  ): Promise<PublishResult> {
    this.assertOpen();
    const prepared = await preparePublish(messages, options, this.dedupe, this.options.propagator, topic);
    const result: PublishResult = messages.map(() => null);
    if (prepared.send.length === 0) {
      return result;
    }
    try {
      const ids = await this.stream(topic).append(prepared.send);
      prepared.send.forEach((message, i) => {
        result[message.index] = ids[i] ?? null;
      });
    } catch (error) {
      await this.dedupe.forget(prepared.claimed);
      throw error;
    }
    return result;
  }

  consume<T>(spec: ConsumerSpec<T>): ConsumerHandle {
    this.assertOpen();
    const tuning = resolveTuning(this.options.consumer, spec.tuning);
    const consumerName = spec.consumerName ?? makeConsumerName(spec.group);
    const stream = this.stream(spec.topic);
    const transports = Array.from(
      { length: Math.max(1, spec.concurrency ?? 1) },
      () => new MemoryStreamTransport(stream, spec.group, consumerName, tuning),
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

  tail(
    topic: string,
    handle: (message: BusMessage<unknown>) => Promise<void> | void,
    _options?: TailOptions,
  ): Promise<TailHandle> {
    this.assertOpen();
    const opened = this.stream(topic).openTail(this.options.memory?.tailBufferSize ?? 1000, handle);
    const tail: TailHandle = {
      isRunning: () => opened.running(),
      stop: async () => {
        this.tails.delete(tail);
        await opened.stop();
      },
    };
    this.tails.add(tail);
    return Promise.resolve(tail);
  }

  describe(topic: string): Promise<TopicDescription> {
    const stream = this.streams.get(topic);
    if (stream === undefined) {
      return Promise.resolve({
        topic,
        exists: false,
        length: 0,
        lastGeneratedId: '0-0',
        groups: [],
        deadLetters: 0,
      });
    }
    return Promise.resolve(stream.describe());
  }

  deadLetters(topic: string, limit = 100): Promise<DeadLetter[]> {
    return Promise.resolve(this.streams.get(topic)?.deadLetters(limit) ?? []);
  }

  maintain(topic: string, options?: MaintenanceOptions): Promise<MaintenanceResult> {
    const stream = this.streams.get(topic);
    if (stream === undefined) {
      return Promise.resolve({ trimmed: 0, removedConsumers: [], minId: null });
    }
    return Promise.resolve(
      stream.maintain({
        idleConsumerThresholdMs: options?.idleConsumerThresholdMs ?? this.defaults.idleConsumerThresholdMs,
        trimRetainMs: options?.trimRetainMs ?? this.defaults.trimRetainMs,
        keepConsumers: options?.keepConsumers,
      }),
    );
  }

  ping(): Promise<void> {
    this.assertOpen();
    return Promise.resolve();
  }

  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    await Promise.all([...this.consumers].map((consumer) => consumer.stop()));
    await Promise.all([...this.tails].map((tail) => tail.stop()));
  }

  private stream(topic: string): MemoryStream {
    let stream = this.streams.get(topic);
    if (stream === undefined) {
      stream = new MemoryStream(
        topic,
        this.options.memory?.maxStreamLength ?? 10_000,
        this.options.memory?.publishTimeoutMs ?? 30_000,
        this.defaults.idleConsumerThresholdMs,
      );
      this.streams.set(topic, stream);
    }
    return stream;
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new Error('the bus is closed');
    }
  }
}
