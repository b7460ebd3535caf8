import { Module } from '@nestjs/common';
import { BackgroundTaskRunRepository, TaskRunRepository } from '@orrery/persistence';
import { EventsApiModule } from '../events/events-api.module';
import { ScheduledTaskRunsSocket } from './scheduled-task-runs.socket';
import { TaskWorkerTracker } from './task-worker.tracker';
import { TaskWorkersController } from './task-workers.controller';

/** Background task runs: `WS /task_runs/subscriptions/scheduled` and `POST /task_workers/filter`. */
@Module({
  imports: [EventsApiModule],
  controllers: [TaskWorkersController],
  providers: [TaskRunRepository, BackgroundTaskRunRepository, TaskWorkerTracker, ScheduledTaskRunsSocket],
})
export class TaskWorkersModule {}
