import { Module } from '@nestjs/common';
import { EventsModule } from '@orrery/events';
import { EventRepository } from '@orrery/persistence';
import { EventsController } from './events.controller';
import { EventsInSocket } from './events-in.socket';
import { WebSocketUpgradeRouter } from './websocket-upgrade.router';

/** The events endpoints: `POST /events`, `WS /events/in` (and the read side as it lands). */
@Module({
  imports: [EventsModule],
  controllers: [EventsController],
  providers: [EventRepository, WebSocketUpgradeRouter, EventsInSocket],
  exports: [WebSocketUpgradeRouter],
})
export class EventsApiModule {}
