import { type DynamicModule, Module } from '@nestjs/common';
import { type BusMessage, OnStreamMessage } from '@orrery/bus';
import type { Settings } from '@orrery/config';
import {
  DEFAULT_EVENT_LIMITS,
  EVENTS_TOPIC,
  EventValidator,
  eventLimitsFrom,
  type ReceivedEvent,
} from '@orrery/events';
import { EventRepository } from '@orrery/persistence';
import { EVENT_PERSISTER_GROUP, EventPersisterConsumer } from './event-persister.consumer';

export interface EventPersisterOptions {
  /**
   * `PREFECT_SERVER_SERVICES_EVENT_PERSISTER_BATCH_SIZE` (20): upstream flushes its queue once it
   * holds this many. Here the smallest read: every read takes `max(READ_BATCH_SIZE, BATCH_SIZE,
   * PERSISTER_READ_SIZE)` entries, i.e. whatever is waiting, up to that bound, in one statement.
   */
  readonly batchSize: number;
  /**
   * `…_FLUSH_INTERVAL` (5 s): upstream's timer for a batch that is not full. Not needed here: a
   * batch never waits to fill (a read that finds fewer entries than it asked for means nothing else
   * is waiting, so they are written at once), so an idle server persists an event within one write
   * and a busy one writes large batches. Accepted for compatibility, and bounds nothing.
   */
  readonly flushIntervalSeconds: number;
  /** `…_READ_BATCH_SIZE` (1): entries per broker read (raised as above). */
  readonly readBatchSize: number;
  /** Validates each message; one that is not a ReceivedEvent is dead-lettered, never retried. */
  readonly validator: EventValidator;
}

/**
 * Entries one read (and so one write) takes at most when more are waiting: the memory bound is this
 * many events (one statement).
 */
export const PERSISTER_READ_SIZE = 500;

export function eventPersisterOptionsFrom(settings: Settings | undefined): EventPersisterOptions {
  const s = settings?.server.services.eventPersister;
  return {
    batchSize: s?.batchSize ?? 20,
    flushIntervalSeconds: s?.flushInterval ?? 5,
    readBatchSize: s?.readBatchSize ?? 1,
    validator: new EventValidator(settings === undefined ? DEFAULT_EVENT_LIMITS : eventLimitsFrom(settings)),
  };
}

/**
 * The event-persister service (`PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED`). Needs the
 * PersistenceModule and a MessageBus in the process. Upstream's in-memory queue
 * (`QUEUE_MAX_SIZE`) and flush retries are not needed: the backlog stays in the stream, unacknowledged
 * batches are retried by the bus, and memory holds one batch at a time.
 */
@Module({})
export class EventPersisterModule {
  static forRoot(options: EventPersisterOptions): DynamicModule {
    const validate = (data: unknown): ReceivedEvent => options.validator.parseReceived(data);
    class ConfiguredEventPersisterConsumer extends EventPersisterConsumer {
      @OnStreamMessage(EVENTS_TOPIC, {
        group: EVENT_PERSISTER_GROUP,
        validate,
        batch: { maxWaitMs: 0 },
        tuning: { readBatchSize: Math.max(options.readBatchSize, options.batchSize, PERSISTER_READ_SIZE) },
      })
      override persist(messages: BusMessage<ReceivedEvent>[]): Promise<void> {
        return super.persist(messages);
      }
    }
    return {
      module: EventPersisterModule,
      providers: [
        EventRepository,
        { provide: EventPersisterConsumer, useClass: ConfiguredEventPersisterConsumer },
      ],
    };
  }
}
