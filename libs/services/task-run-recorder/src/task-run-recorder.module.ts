import { type DynamicModule, Module } from '@nestjs/common';
import { type BusMessage, OnStreamMessage } from '@orrery/bus';
import type { Settings } from '@orrery/config';
import { TaskRunRecorderRepository } from '@orrery/persistence';
import { asEvent, RECORDER_READ_SIZE, TaskRunRecorderConsumer } from './task-run-recorder.consumer';
import { type TaskRunEvent } from './task-run-rows';

export interface TaskRunRecorderOptions {
  /** `PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_READ_BATCH_SIZE` (1): entries per broker read, raised to at least RECORDER_READ_SIZE. */
  readonly readBatchSize: number;
  /** `…_BATCH_SIZE` (1): a batch is written once it holds this many events… */
  readonly batchSize: number;
  /** `…_FLUSH_INTERVAL` (5 s): …or this long after its first event, whichever comes first. */
  readonly flushIntervalSeconds: number;
}

export function taskRunRecorderOptionsFrom(settings: Settings | undefined): TaskRunRecorderOptions {
  const s = settings?.server.services.taskRunRecorder;
  return {
    readBatchSize: s?.readBatchSize ?? 1,
    batchSize: s?.batchSize ?? 1,
    flushIntervalSeconds: s?.flushInterval ?? 5,
  };
}

/**
 * The task-run-recorder service (`PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED`): consumer group
 * `task-run-recorder` on the `events` stream. Needs the PersistenceModule and a MessageBus.
 */
@Module({})
export class TaskRunRecorderModule {
  static forRoot(options: TaskRunRecorderOptions): DynamicModule {
    class ConfiguredTaskRunRecorderConsumer extends TaskRunRecorderConsumer {
      @OnStreamMessage('events', {
        group: 'task-run-recorder',
        validate: asEvent,
        batch: { maxBatchSize: options.batchSize, maxWaitMs: options.flushIntervalSeconds * 1000 },
        tuning: { readBatchSize: Math.max(options.readBatchSize, options.batchSize, RECORDER_READ_SIZE) },
      })
      override record(messages: BusMessage<TaskRunEvent>[]): Promise<void> {
        return super.record(messages);
      }
    }
    return {
      module: TaskRunRecorderModule,
      providers: [
        TaskRunRecorderRepository,
        { provide: TaskRunRecorderConsumer, useClass: ConfiguredTaskRunRecorderConsumer },
      ],
    };
  }
}
