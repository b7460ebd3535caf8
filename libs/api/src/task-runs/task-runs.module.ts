import { Module } from '@nestjs/common';
import { RunStateRepository, TaskRunRepository } from '@orrery/persistence';
import { RunsModule } from '@orrery/runs';
import { TaskRunStatesController } from './task-run-states.controller';
import { TaskRunsController } from './task-runs.controller';
import { UiTaskRunController } from './ui-task-run.controller';

@Module({
  imports: [RunsModule],
  controllers: [TaskRunsController, TaskRunStatesController, UiTaskRunController],
  providers: [TaskRunRepository, RunStateRepository],
})
export class TaskRunsModule {}
