import { Logger } from '@nestjs/common';
import { backoffDelayMs } from './backoff';
import { type BusMessage } from './bus-message';
import { isBrokerUnavailableError } from './bus.errors';
import {
  type BusHandlerInterceptor,
  type ConsumerTuning,
  type TransientErrorClassifier,
} from './bus-options';
import { type ConsumerHandle, type ConsumerHealth, type ConsumerSpec } from './consumer-spec';
import { InvalidMessageError, decodeDelivery, errorText } from './message-codec';
import { type RawDelivery, type StreamTransport } from './stream-transport';

interface Decoded<T> {
  readonly raw: RawDelivery;
  readonly message: BusMessage<T>;
}

/**
 * The consumer engine shared by both drivers, so retry, validation, batching and dead-letter rules
 * cannot drift apart: one loop per transport (= `concurrency`), each fetching (reclaim first, then
 * new), decoding, handling and acknowledging only after the handler resolved. A loop never dies
 * silently: errors are logged, counted in `health()`, followed by a jittered back-off and a reconnect.
 */
export class StreamConsumerRunner<T> implements ConsumerHandle {
  private readonly logger: Logger;
  private readonly loops: Promise<void>[] = [];
  private stopping = false;
  private stopped: Promise<void> | null = null;
  private alive = 0;
  private consecutiveErrors = 0;
  private lastError: string | null = null;
  private handled = 0;
  private deadLettered = 0;
  private lastMaintenance = Date.now();
  private readonly sleepers = new Set<() => void>();

  constructor(
    private readonly spec: ConsumerSpec<T>,
    private readonly tuning: ConsumerTuning,
    private readonly transports: readonly StreamTransport[],
    private readonly onStopped: () => void = () => undefined,
    private readonly interceptor?: BusHandlerInterceptor,
    private readonly isTransientError?: TransientErrorClassifier,
  ) {
    this.logger = new Logger(`Bus:${spec.topic}/${spec.group}`);
  }

  get consumerName(): string {
    return this.transports[0]?.consumerName ?? '';
  }

  start(): void {
    this.transports.forEach((transport, index) => {
      this.alive += 1;
      this.loops.push(
        this.loop(transport, index === 0).finally(() => {
          this.alive -= 1;
        }),
      );
    });
  }

  isRunning(): boolean {
    return !this.stopping && this.alive === this.transports.length;
  }

  health(): ConsumerHealth {
    return {
      topic: this.spec.topic,
      group: this.spec.group,
      consumerName: this.consumerName,
      running: this.isRunning(),
      consecutiveErrors: this.consecutiveErrors,
      lastError: this.lastError,
      handled: this.handled,
      deadLettered: this.deadLettered,
    };
  }

  stop(): Promise<void> {
    this.stopped ??= this.shutdown();
    return this.stopped;
  }

  private async shutdown(): Promise<void> {
    this.stopping = true;
    for (const wake of [...this.sleepers]) {
      wake();
    }
    for (const transport of this.transports) {
      transport.interrupt();
    }
    await Promise.all(this.loops);
    await Promise.all(this.transports.map((transport) => transport.close().catch(() => undefined)));
    this.onStopped();
  }

  private async loop(transport: StreamTransport, maintains: boolean): Promise<void> {
    let attempt = 0;
    while (!this.stopping) {
      try {
        await transport.ensureGroup();
        const batch = await this.collect(transport);
        if (batch.length > 0) {
          await this.withHeartbeat(transport, batch, () => this.process(transport, batch));
        }
        if (maintains && Date.now() - this.lastMaintenance >= this.tuning.trimIntervalMs) {
          this.lastMaintenance = Date.now();
          await transport.maintain();
        }
        attempt = 0;
        this.consecutiveErrors = 0;
      } catch (error) {
        attempt += 1;
        this.consecutiveErrors += 1;
        this.lastError = errorText(error);
        const delay = backoffDelayMs(attempt - 1, this.tuning.backoffBaseMs, this.tuning.backoffMaxMs);
        this.logger.error(
          `consume loop error (attempt ${attempt}, retrying in ${delay} ms): ${this.lastError}`,
        );
        await transport.reset().catch(() => undefined);
        await this.sleep(delay);
      }
    }
  }

  /** One read, or (batch consumers with maxWaitMs) several reads until the batch is full or due. */
  private async collect(transport: StreamTransport): Promise<RawDelivery[]> {
    const readSize = this.tuning.readBatchSize;
    const first = await transport.fetch(readSize, this.tuning.blockMs);
    if (this.spec.kind !== 'batch' || first.length === 0) {
      return first;
    }
    const maxBatch = this.spec.batch?.maxBatchSize ?? readSize;
    const maxWait = this.spec.batch?.maxWaitMs ?? 0;
    const held = [...first];
    const deadline = Date.now() + maxWait;
    return this.withHeartbeat(transport, held, async () => {
      while (held.length < maxBatch && !this.stopping) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
          break;
        }
        const more = await transport.fetch(
          Math.min(readSize, maxBatch - held.length),
          Math.min(this.tuning.blockMs, remaining),
        );
        held.push(...more);
      }
      return held;
    });
  }

  private async process(transport: StreamTransport, batch: RawDelivery[]): Promise<void> {
    const valid: Decoded<T>[] = [];
    for (const raw of batch) {
      if (raw.deliveryCount > this.tuning.maxDeliveries) {
        // Delivered more often than allowed without a verdict: its handlers keep dying mid-message.
        await this.deadLetter(transport, raw, `delivered ${raw.deliveryCount} times without completing`);
        continue;
      }
      try {
        valid.push({ raw, message: await decodeDelivery(this.spec.topic, raw, this.spec.validate) });
      } catch (error) {
        if (!(error instanceof InvalidMessageError)) {
          throw error;
        }
        await this.deadLetter(transport, raw, `invalid message: ${error.message}`);
      }
    }
    if (valid.length === 0) {
      return;
    }
    const acked: string[] = [];
    if (this.spec.kind === 'single') {
      for (const item of valid) {
        try {
          const handleOne = this.spec.handle;
          await this.invoke([item.message], async () => handleOne(item.message));
          acked.push(item.raw.id);
        } catch (error) {
          await this.failed(transport, item, error);
        }
      }
    } else {
      const handle = this.spec.handle;
      try {
        const messages = valid.map((item) => item.message);
        await this.invoke(messages, async () => handle(messages));
        acked.push(...valid.map((item) => item.raw.id));
      } catch (error) {
        if (valid.length === 1 || this.transient(error) || this.stopping) {
          for (const item of valid) await this.failed(transport, item, error);
        } else {
          // Isolate the poison: one bad message must not take its neighbours to dead letters.
          this.logger.warn(`batch of ${valid.length} failed (${errorText(error)}); retrying one by one`);
          for (const item of valid) {
            try {
              await this.invoke([item.message], async () => handle([item.message]));
              acked.push(item.raw.id);
            } catch (inner) {
              await this.failed(transport, item, inner);
            }
          }
        }
      }
    }
    if (acked.length > 0) {
      await transport.ack(acked);
      this.handled += acked.length;
    }
  }

  private transient(error: unknown): boolean {
    return isBrokerUnavailableError(error) || this.isTransientError?.(error) === true;
  }

  /**
   * Calls the handler; while it fails because a dependency is down (`transient`), keeps the messages
   * (the heartbeat keeps them claimed without raising their delivery count) and calls it again with
   * back-off (capped at 5 s, so the consumer catches up soon after the outage), until it succeeds or
   * the consumer stops. Any other failure, or a stop, is the caller's.
   */
  private async invoke(messages: BusMessage<T>[], call: () => Promise<void>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.invokeOnce(messages, call);
        if (attempt > 0) this.logger.log(`handler succeeded again after ${attempt} transient failures`);
        return;
      } catch (error) {
        if (this.stopping || !this.transient(error)) throw error;
        this.consecutiveErrors += 1;
        this.lastError = errorText(error);
        const delay = backoffDelayMs(attempt, 250, Math.min(5000, this.tuning.backoffMaxMs));
        if (attempt === 0 || attempt % 20 === 0) {
          this.logger.warn(
            `handler hit a dependency outage (${this.lastError}); retrying ${messages.length} message(s) in place`,
          );
        }
        await this.sleep(delay);
      }
    }
  }

  private async invokeOnce(messages: BusMessage<T>[], call: () => Promise<void>): Promise<void> {
    if (this.interceptor === undefined) {
      await call();
      return;
    }
    const context = {
      topic: this.spec.topic,
      group: this.spec.group,
      consumerName: this.consumerName,
      messages,
    };
    await this.interceptor(context, call);
  }

  /**
   * A failed handler leaves the entry pending: any consumer reclaims it after minIdleMs. A failure
   * while the consumer stops (a handler that ends its wait on shutdown, say) never dead-letters: the
   * next consumer gets the message, and dead-letters it itself if it was delivered too often.
   */
  private async failed(transport: StreamTransport, item: Decoded<T>, error: unknown): Promise<void> {
    const count = item.raw.deliveryCount;
    if (this.transient(error)) {
      // Stopped during an outage: not the message's fault, leave it pending for the next consumer.
      this.logger.warn(`left ${item.raw.id} pending (dependency outage while stopping): ${errorText(error)}`);
      return;
    }
    if (this.stopping) {
      this.logger.warn(`left ${item.raw.id} pending (consumer stopping): ${errorText(error)}`);
      return;
    }
    if (count >= this.tuning.maxDeliveries) {
      await this.deadLetter(transport, item.raw, `handler failed on delivery ${count}: ${errorText(error)}`);
      return;
    }
    this.logger.warn(
      `handler failed on ${item.raw.id} (delivery ${count} of ${this.tuning.maxDeliveries}): ${errorText(error)}`,
    );
  }

  private async deadLetter(transport: StreamTransport, raw: RawDelivery, reason: string): Promise<void> {
    this.logger.warn(`dead-lettering ${raw.id}: ${reason}`);
    await transport.deadLetter(raw, reason);
    this.deadLettered += 1;
  }

  private async withHeartbeat<R>(
    transport: StreamTransport,
    held: readonly RawDelivery[],
    work: () => Promise<R>,
  ): Promise<R> {
    const every = Math.max(20, Math.floor(this.tuning.minIdleMs / 3));
    const timer = setInterval(() => {
      transport.heartbeat(held.map((raw) => raw.id)).catch((error: unknown) => {
        this.logger.warn(`heartbeat failed: ${errorText(error)}`);
      });
    }, every);
    try {
      return await work();
    } finally {
      clearInterval(timer);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }
}
