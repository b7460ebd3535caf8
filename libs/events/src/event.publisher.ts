import { Inject, Injectable, Logger } from '@nestjs/common';
import { MessageBus } from '@orrery/bus';
import { Instant } from '@orrery/domain';
import { type Event, EVENTS_TOPIC, type EventLimits, type ReceivedEvent } from './event.model';
import { EVENT_LIMITS } from './event-limits.provider';
import { EventValidator } from './event.validator';

/** Events stamped and handed to the broker per turn of the event loop. */
const PUBLISH_CHUNK = 500;

/**
 * The one way accepted events enter the system (`POST /events`, `/events/in`, server-side emitters):
 * stamps `received`, drops events over `maximumSizeBytes` with a warning (upstream drops them silently
 * at publish time), and publishes to `events` with attributes `{id, event}`, de-duplicated by `id`
 * for 5 minutes (spec-services-events-ha §3.4 layer 1; the database is layer 2).
 */
@Injectable()
export class EventPublisher {
  private readonly logger = new Logger(EventPublisher.name);

  constructor(
    private readonly bus: MessageBus,
    @Inject(EVENT_LIMITS) private readonly limits: EventLimits,
  ) {}

  /**
   * Resolves to how many events were handed to the broker (duplicates and oversize ones excluded).
   * A large batch (`POST /events` takes up to 16 MiB) goes out PUBLISH_CHUNK events at a time with a
   * turn of the event loop in between, so stamping, sizing and publishing never hold it for long;
   * a broker failure part-way leaves the earlier chunks published (the client's retry is
   * de-duplicated by id).
   */
  async publish(events: readonly Event[], now: Instant = Instant.now()): Promise<number> {
    let published = 0;
    for (let start = 0; start < events.length; start += PUBLISH_CHUNK) {
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      published += await this.publishChunk(events.slice(start, start + PUBLISH_CHUNK), now);
    }
    return published;
  }

  private async publishChunk(events: readonly Event[], now: Instant): Promise<number> {
    const accepted: ReceivedEvent[] = [];
    for (const event of events) {
      const received = EventValidator.receive(event, now);
      const size = EventValidator.sizeInBytes(received);
      if (size > this.limits.maximumSizeBytes) {
        this.logger.warn(
          `dropped event ${event.id} (${event.event}): ${size} bytes is over the ${this.limits.maximumSizeBytes}-byte limit`,
        );
        continue;
      }
      accepted.push(received);
    }
    if (accepted.length === 0) return 0;
    const ids = await this.bus.publishMany(
      EVENTS_TOPIC,
      accepted.map((e) => ({ data: e, attributes: { id: e.id, event: e.event } })),
      { dedupeBy: 'id' },
    );
    return ids.filter((id) => id !== null).length;
  }
}
