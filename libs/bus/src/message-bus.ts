import {
  type BusMessage,
  type DeadLetter,
  type OutgoingMessage,
  type PublishOptions,
  type PublishResult,
} from './bus-message';
import {
  type ConsumerHandle,
  type ConsumerSpec,
  type MaintenanceOptions,
  type MaintenanceResult,
  type TailHandle,
  type TailOptions,
  type TopicDescription,
} from './consumer-spec';

/**
 * The bus seam (architecture decisions 6 and 7). Two drivers implement it with the same semantics:
 * RedisStreamsBus for every multi-process mode and InMemoryBus for the embedded single process. It is
 * also the Nest injection token for the driver chosen by BusModule.forRoot.
 */
export abstract class MessageBus {
  /** Publishes one message; resolves to its stream id, or null if dropped as a duplicate. */
  async publish(
    topic: string,
    data: unknown,
    attributes?: Readonly<Record<string, string>>,
    options?: PublishOptions,
  ): Promise<string | null> {
    const [id] = await this.publishMany(topic, [{ data, attributes }], options);
    return id ?? null;
  }

  /** Publishes in one round trip (one pipelined XADD per message). */
  abstract publishMany(
    topic: string,
    messages: readonly OutgoingMessage[],
    options?: PublishOptions,
  ): Promise<PublishResult>;

  /** Starts a durable consumer-group consumer; its loops run until `stop()` or `close()`. */
  abstract consume<T>(spec: ConsumerSpec<T>): ConsumerHandle;

  /** Starts an ephemeral tail: resolves once its starting position ("now") is fixed. */
  abstract tail(
    topic: string,
    handle: (message: BusMessage<unknown>) => Promise<void> | void,
    options?: TailOptions,
  ): Promise<TailHandle>;

  /** Groups, consumers, lag and dead letters of a topic (for `orrery server services ls`). */
  abstract describe(topic: string): Promise<TopicDescription>;

  /** The newest dead letters of a topic, oldest first. */
  abstract deadLetters(topic: string, limit?: number): Promise<DeadLetter[]>;

  /** One trimming + idle-consumer pass; consumers also run it every `trimIntervalMs`. */
  abstract maintain(topic: string, options?: MaintenanceOptions): Promise<MaintenanceResult>;

  /** Stops every consumer and tail (finishing in-flight handlers), then releases connections. */
  abstract close(): Promise<void>;

  /**
   * Resolves when the broker answers now; rejects with an error `isBrokerUnavailableError` accepts
   * when it cannot be reached (readiness probes). The in-memory bus always answers.
   */
  abstract ping(): Promise<void>;
}
