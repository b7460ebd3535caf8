import { type DynamicModule, Module } from '@nestjs/common';
import { EVENT_LOGGER_OUTPUT, type EventLoggerOutput, EventLoggerConsumer } from './event-logger.consumer';

/** The event-logger service (`PREFECT_SERVER_SERVICES_EVENT_LOGGER_ENABLED`, off by default). */
@Module({})
export class EventLoggerModule {
  static forRoot(output: EventLoggerOutput = (line) => process.stdout.write(`${line}\n`)): DynamicModule {
    return {
      module: EventLoggerModule,
      providers: [{ provide: EVENT_LOGGER_OUTPUT, useValue: output }, EventLoggerConsumer],
    };
  }
}
