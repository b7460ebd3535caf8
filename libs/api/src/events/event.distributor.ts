import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { type BusMessage, MessageBus, type TailHandle } from '@orrery/bus';
import { EVENTS_TOPIC, EventValidator, type ReceivedEvent } from '@orrery/events';
import { LiveSubscription } from './live-subscription';

/** One `/events/out` client's live feed. */
export type EventSubscription = LiveSubscription<ReceivedEvent>;

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
    const subscription = new LiveSubscription<ReceivedEvent>(accepts, (s) => this.subscribers.delete(s));
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
