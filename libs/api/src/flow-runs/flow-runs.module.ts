import { Module } from '@nestjs/common';
import { FlowRunRepository, RunStateRepository } from '@orrery/persistence';
import { RunsModule } from '@orrery/runs';
import { FlowRunStatesController } from './flow-run-states.controller';
import { FlowRunsController } from './flow-runs.controller';

@Module({
  imports: [RunsModule],
  controllers: [FlowRunsController, FlowRunStatesController],
  providers: [FlowRunRepository, RunStateRepository],
})
export class FlowRunsModule {}
