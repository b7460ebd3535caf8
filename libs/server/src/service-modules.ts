import type { DynamicModule, Type } from '@nestjs/common';
import type { Settings } from '@orrery/config';
import { CancellationCleanupModule } from '@orrery/cancellation-cleanup';
import { DbVacuumModule } from '@orrery/db-vacuum';
import { EventLoggerModule } from '@orrery/event-logger';
import { ForemanModule } from '@orrery/foreman';
import { LateRunsModule } from '@orrery/late-runs';
import { PauseExpirationsModule } from '@orrery/pause-expirations';
import { RepossessorModule } from '@orrery/repossessor';
import { SchedulerModule } from '@orrery/scheduler';
import { TaskRunRecorderModule, taskRunRecorderOptionsFrom } from '@orrery/task-run-recorder';
import { EventPersisterModule, eventPersisterOptionsFrom } from '@orrery/event-persister';

/**
 * The Nest module of each background service, by catalogue name. A service whose module is not here
 * yet is reported as "not implemented yet" at start-up instead of being silently ignored; each
 * feature issue adds its service's line.
 */
export const SERVICE_MODULES: Readonly<
  Record<string, (settings: Settings) => Type<unknown> | DynamicModule>
> = {
  'event-logger': () => EventLoggerModule.forRoot(),
  'db-vacuum': () => DbVacuumModule,
  scheduler: () => SchedulerModule,
  'late-runs': () => LateRunsModule,
  foreman: () => ForemanModule,
  'pause-expirations': () => PauseExpirationsModule,
  'cancellation-cleanup': () => CancellationCleanupModule,
  'task-run-recorder': (settings) => TaskRunRecorderModule.forRoot(taskRunRecorderOptionsFrom(settings)),
  repossessor: () => RepossessorModule,
  'event-persister': (settings) => EventPersisterModule.forRoot(eventPersisterOptionsFrom(settings)),
};

/**
 * Services that live inside every API process rather than in a module of their own: the Distributor
 * feeds that process's `/api/events/out` websockets from one ephemeral tail of the events stream.
 */
export const API_PROCESS_SERVICES: ReadonlySet<string> = new Set(['distributor']);
