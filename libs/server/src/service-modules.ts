import type { DynamicModule, Type } from '@nestjs/common';
import type { Settings } from '@orrery/config';
import { ActionsModule } from '@orrery/actions';
import { CancellationCleanupModule } from '@orrery/cancellation-cleanup';
import { DbVacuumModule } from '@orrery/db-vacuum';
import { EventLoggerModule } from '@orrery/event-logger';
import { ForemanModule } from '@orrery/foreman';
import { LateRunsModule } from '@orrery/late-runs';
import { PauseExpirationsModule } from '@orrery/pause-expirations';
import { RepossessorModule } from '@orrery/repossessor';
import { SchedulerModule } from '@orrery/scheduler';
import { TaskRunRecorderModule, taskRunRecorderOptionsFrom } from '@orrery/task-run-recorder';
import { TriggersModule } from '@orrery/triggers';
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
  triggers: () => TriggersModule,
  'event-persister': (settings) => EventPersisterModule.forRoot(eventPersisterOptionsFrom(settings)),
  actions: () => ActionsModule,
};

/**
 * Services that live inside every API process rather than in a module of their own: the Distributor
 * feeds that process's `/api/events/out` websockets from one ephemeral tail of the events stream, the
 * log distributor its `/api/logs/out` websockets from the `logs` stream.
 */
export const API_PROCESS_SERVICES: ReadonlySet<string> = new Set(['distributor', 'log-distributor']);

/**
 * Why a catalogue service has no implementation here. Its enable variable is accepted and has no
 * effect; start-up and `services ls` say "not implemented", never that it runs.
 */
export const NOT_IMPLEMENTED: Readonly<Record<string, string>> = {
  'cleanup-reconciler':
    'not implemented: it redelivers worker-channel cleanup messages, and the worker channel (websocket) is not served',
  telemetry:
    "deliberately absent: upstream's telemetry heartbeat reports usage to Prefect; Orrery sends nothing anywhere",
};

/** Whether Orrery can run `service` at all (a module of its own, or part of every API process). */
export function isImplemented(service: string): boolean {
  return SERVICE_MODULES[service] !== undefined || API_PROCESS_SERVICES.has(service);
}
