// EventPersister: stores every event of the `events` stream, with one row per resource, exactly once
// (spec-services-events-ha §2.1). It writes nothing else and publishes nothing.
import { Injectable, Logger } from '@nestjs/common';
import type { BusMessage } from '@orrery/bus';
import type { ReceivedEvent } from '@orrery/events';
import { EventRepository } from '@orrery/persistence';
import { instruments } from '@orrery/telemetry';

/** The consumer group every event-persister replica joins (they share the stream). */
export const EVENT_PERSISTER_GROUP = 'event-persister';

/**
 * One batch, one transaction. The bus acknowledges the batch only when `persist` resolves, i.e.
 * after the commit; a crash before that leaves the messages pending and another replica (or this
 * one, restarted) reclaims them, and the primary key makes the second write a no-op.
 * `EventPersisterModule.forRoot` subclasses this with the `@OnStreamMessage` declaration, because
 * the batch size and flush interval come from the settings.
 */
@Injectable()
export class EventPersisterConsumer {
  private readonly logger = new Logger('EventPersister');

  constructor(private readonly events: EventRepository) {}

  async persist(messages: BusMessage<ReceivedEvent>[]): Promise<void> {
    const written = await this.events.insertMany(messages.map((m) => m.data));
    const meters = instruments();
    meters.persisterEvents.add(written.size);
    meters.persisterBatchSize.record(messages.length);
    const duplicates = messages.length - written.size;
    if (duplicates > 0) {
      this.logger.debug(`persisted ${written.size} events, ${duplicates} already stored`);
    }
  }
}
