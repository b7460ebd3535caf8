import { Module } from '@nestjs/common';
import { RunHistoryRepository } from '@orrery/persistence';
import { FlowRunHistoryController } from './flow-run-history.controller';
import { TaskRunHistoryController } from './task-run-history.controller';

@Module({
  controllers: [FlowRunHistoryController, TaskRunHistoryController],
  providers: [RunHistoryRepository],
})
export class RunHistoryModule {}
