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
  /** `PREFECT_SERVER_SERVICES_EVENT_PERSISTER_BATCH_SIZE` (20): a batch is written once it holds this many. */
  readonly batchSize: number;
  /** `…_FLUSH_INTERVAL` (5 s): …or this long after its first event, whichever comes first. */
  readonly flushIntervalSeconds: number;
  /** `…_READ_BATCH_SIZE` (1): entries per broker read, raised to at least PERSISTER_READ_SIZE. */
  readonly readBatchSize: number;
  /** Validates each message; one that is not a ReceivedEvent is dead-lettered, never retried. */
  readonly validator: EventValidator;
}

/**
 * Entries one read takes at most. Under load a read returns a backlog larger than BATCH_SIZE, written
 * at once as one batch (upstream writes its whole queue too): fewer, larger transactions, so the
 * persister catches up instead of falling further behind. Memory holds at most this many events.
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
        batch: { maxBatchSize: options.batchSize, maxWaitMs: options.flushIntervalSeconds * 1000 },
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
