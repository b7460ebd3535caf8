import { Module } from '@nestjs/common';
import { EventsModule } from '@orrery/events';
import { EventRepository } from '@orrery/persistence';
import { EventsController } from './events.controller';
import { EventDistributor } from './event.distributor';
import { EventsInSocket } from './events-in.socket';
import { EventsOutSocket } from './events-out.socket';
import { WebSocketUpgradeRouter } from './websocket-upgrade.router';

/** The events endpoints: `POST /events`, `/events/filter(/next)`, `WS /events/in` and `WS /events/out`. */
@Module({
  imports: [EventsModule],
  controllers: [EventsController],
  providers: [EventRepository, WebSocketUpgradeRouter, EventsInSocket, EventDistributor, EventsOutSocket],
  exports: [WebSocketUpgradeRouter],
})
export class EventsApiModule {}
