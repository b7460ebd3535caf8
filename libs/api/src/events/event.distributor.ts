import { Injectable, Logger } from '@nestjs/common';
import { type BusMessage, MessageBus } from '@orrery/bus';
import { EVENTS_TOPIC, EventValidator, type ReceivedEvent } from '@orrery/events';
import { type LiveSubscription, TopicDistributor } from './live-subscription';

/** One `/events/out` client's live feed. */
export type EventSubscription = LiveSubscription<ReceivedEvent>;

/**
 * The Distributor (spec-services-events-ha §2.1): one ephemeral tail of `events` per API process,
 * started with the first `/events/out` subscriber, fanned out to every subscriber's bounded queue.
 * Best effort by design (live view): a slow client loses events, never the process's memory.
 */
@Injectable()
export class EventDistributor extends TopicDistributor<ReceivedEvent> {
  constructor(
    bus: MessageBus,
    private readonly validator: EventValidator,
  ) {
    super(bus, EVENTS_TOPIC, new Logger('Distributor'));
  }

  protected decode(message: BusMessage<unknown>): ReceivedEvent | null {
    try {
      return this.validator.parseReceived(message.data);
    } catch (error) {
      this.logger.warn(`skipped an undecodable event ${message.id}: ${String(error)}`);
      return null;
    }
  }
}
