import { Module } from '@nestjs/common';
import { TaskRunRecorderRepository } from '@orrery/persistence';
import { TaskRunRecorderConsumer } from './task-run-recorder.consumer';

/** The task-run-recorder service (`PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED`). */
@Module({ providers: [TaskRunRecorderRepository, TaskRunRecorderConsumer] })
export class TaskRunRecorderModule {}
