import { Module } from '@nestjs/common';
import { EVENT_LIMITS_PROVIDER, EVENT_VALIDATOR_PROVIDER } from './event-limits.provider';
import { EventPublisher } from './event.publisher';

/**
 * The event model's Nest wiring: the validator (with the process's limits) and the publisher.
 * Needs a MessageBus in the process; reads the settings tree when there is one.
 */
@Module({
  providers: [EVENT_LIMITS_PROVIDER, EVENT_VALIDATOR_PROVIDER, EventPublisher],
  exports: [EVENT_LIMITS_PROVIDER, EVENT_VALIDATOR_PROVIDER, EventPublisher],
})
export class EventsModule {}
