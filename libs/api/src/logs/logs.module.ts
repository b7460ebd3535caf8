import { Module } from '@nestjs/common';
import { LogRepository } from '@orrery/persistence';
import { FlowRunLogsController } from './flow-run-logs.controller';
import { LogPublisher } from './log.publisher';
import { LogsController } from './logs.controller';

@Module({ controllers: [LogsController, FlowRunLogsController], providers: [LogRepository, LogPublisher] })
export class LogsModule {}
