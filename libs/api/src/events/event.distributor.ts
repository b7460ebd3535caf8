import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { type BusMessage, MessageBus, type TailHandle } from '@orrery/bus';
import { EVENTS_TOPIC, EventValidator, type ReceivedEvent } from '@orrery/events';

/** A subscriber's queue bound (upstream: 256); when full, new events for it are dropped. */
export const SUBSCRIBER_QUEUE_SIZE = 256;

/** One `/events/out` client's live feed. */
export class EventSubscription {
  private readonly queue: ReceivedEvent[] = [];
  private wake: (() => void) | null = null;
  dropped = 0;

  constructor(
    readonly accepts: (event: ReceivedEvent) => boolean,
    private readonly onClose: (s: EventSubscription) => void,
  ) {}

  /** Called by the distributor for every live event. */
  offer(event: ReceivedEvent): void {
    if (!this.accepts(event)) return;
    if (this.queue.length >= SUBSCRIBER_QUEUE_SIZE) {
      this.dropped++;
      return;
    }
    this.queue.push(event);
    this.wake?.();
  }

  /** The queued events, or waits up to `timeoutMs` for the next one (empty on timeout). */
  async take(timeoutMs: number): Promise<ReceivedEvent[]> {
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
 * The Distributor (spec-services-events-ha §2.1): one ephemeral tail of `events` per API process,
 * started with the first `/events/out` subscriber, fanned out to every subscriber's bounded queue.
 * Best effort by design (live view): a slow client loses events, never the process's memory.
 */
@Injectable()
export class EventDistributor implements OnApplicationShutdown {
  private readonly logger = new Logger('Distributor');
  private readonly subscribers = new Set<EventSubscription>();
  private tail: Promise<TailHandle> | null = null;

  constructor(
    private readonly bus: MessageBus,
    private readonly validator: EventValidator,
  ) {}

  /** Resolves once the live position is fixed: every event published afterwards reaches `accepts`. */
  async subscribe(accepts: (event: ReceivedEvent) => boolean): Promise<EventSubscription> {
    const subscription = new EventSubscription(accepts, (s) => this.subscribers.delete(s));
    this.subscribers.add(subscription);
    this.tail ??= this.bus.tail(EVENTS_TOPIC, (message) => this.distribute(message));
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
    let event: ReceivedEvent;
    try {
      event = this.validator.parseReceived(message.data);
    } catch (error) {
      this.logger.warn(`skipped an undecodable event ${message.id}: ${String(error)}`);
      return;
    }
    for (const subscriber of this.subscribers) subscriber.offer(event);
  }
}
