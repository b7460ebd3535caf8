import type { Logger, OnApplicationShutdown } from '@nestjs/common';
import type { BusMessage, MessageBus, TailHandle } from '@orrery/bus';

/** A subscriber's queue bound (upstream: 256); when full, new messages for it are dropped. */
export const SUBSCRIBER_QUEUE_SIZE = 256;

/**
 * One websocket client's live feed (`/events/out`, `/logs/out`): a bounded queue the process's
 * distributor offers every live message to. Best effort by design: a slow client loses messages,
 * never the process's memory.
 */
export class LiveSubscription<T> {
  private readonly queue: T[] = [];
  private wake: (() => void) | null = null;
  dropped = 0;

  constructor(
    readonly accepts: (item: T) => boolean,
    private readonly onClose: (s: LiveSubscription<T>) => void,
  ) {}

  /** Called by the distributor for every live message. */
  offer(item: T): void {
    if (!this.accepts(item)) return;
    if (this.queue.length >= SUBSCRIBER_QUEUE_SIZE) {
      this.dropped++;
      return;
    }
    this.queue.push(item);
    this.wake?.();
  }

  /** The queued messages, or waits up to `timeoutMs` for the next one (empty on timeout). */
  async take(timeoutMs: number): Promise<T[]> {
    if (this.queue.length === 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
    return this.queue.splice(0, this.queue.length);
  }

  close(): void {
    this.wake?.();
    this.onClose(this);
  }
}

/**
 * One ephemeral tail of a topic per API process (no consumer group: every replica sees every
 * message), started with the first subscriber and fanned out to every subscriber's bounded queue.
 * Best effort by design (a live view): a slow client loses messages, never the process's memory.
 * Subclasses say how a message decodes; what does not decode is logged and skipped.
 */
export abstract class TopicDistributor<T> implements OnApplicationShutdown {
  private readonly subscribers = new Set<LiveSubscription<T>>();
  private tail: Promise<TailHandle> | null = null;

  protected constructor(
    private readonly bus: MessageBus,
    private readonly topic: string,
    protected readonly logger: Logger,
  ) {}

  /** The message's item, or null when it does not decode (logged and skipped). */
  protected abstract decode(message: BusMessage<unknown>): T | null;

  /** Resolves once the live position is fixed: every message published afterwards reaches `accepts`. */
  async subscribe(accepts: (item: T) => boolean): Promise<LiveSubscription<T>> {
    const subscription = new LiveSubscription<T>(accepts, (s) => this.subscribers.delete(s));
    this.subscribers.add(subscription);
    this.tail ??= this.bus.tail(this.topic, (message) => this.distribute(message));
    try {
      await this.tail;
    } catch (error) {
      this.tail = null;
      this.subscribers.delete(subscription);
      throw error;
    }
    return subscription;
  }

  async onApplicationShutdown(): Promise<void> {
    const tail = this.tail;
    this.tail = null;
    if (tail !== null) await (await tail).stop();
  }

  private distribute(message: BusMessage<unknown>): void {
    if (this.subscribers.size === 0) return;
    const item = this.decode(message);
    if (item === null) return;
    for (const subscriber of this.subscribers) subscriber.offer(item);
  }
}
