import { Module } from '@nestjs/common';
import { LogRepository } from '@orrery/persistence';
import { EventsApiModule } from '../events/events-api.module';
import { FlowRunLogsController } from './flow-run-logs.controller';
import { LogDistributor } from './log.distributor';
import { LogPublisher } from './log.publisher';
import { LogsController } from './logs.controller';
import { LogsOutSocket } from './logs-out.socket';

/** `/logs/`, `/logs/filter`, the run log download and `WS /logs/out` (its router comes from the events module). */
@Module({
  imports: [EventsApiModule],
  controllers: [LogsController, FlowRunLogsController],
  providers: [LogRepository, LogPublisher, LogDistributor, LogsOutSocket],
})
export class LogsModule {}
