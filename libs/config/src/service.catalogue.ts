import { type Settings, type VacuumTarget } from './settings.types';

/*
 * Every background service Orrery can run, in the order `orrery server services ls` shows them:
 * first the stream consumers (upstream's class-based services), then the periodic ones (upstream's
 * Docket perpetual functions, which upstream's `ls` omits). Which modules a process loads is
 * decided from isEnabled() at boot.
 */

export type ServiceFamily = 'stream-consumer' | 'periodic';

export interface ServiceDescriptor {
  /** Kebab-case app/module name. */
  readonly name: string;
  /** Upstream's class name (stream consumers) or perpetual function name (periodic). */
  readonly prefectName: string;
  readonly family: ServiceFamily;
  /** The canonical env var that switches it on or off. */
  readonly envVar: string;
  readonly description: string;
  isEnabled(settings: Settings): boolean;
}

/** Whether db-vacuum deletes `target` in this environment (events also need the event persister). */
export function vacuumTargetEnabled(settings: Settings, target: VacuumTarget): boolean {
  const services = settings.server.services;
  if (!services.dbVacuum.enabled.includes(target)) return false;
  // Upstream registers the event vacuum only when events are being persisted at all.
  return target === 'flow_runs' || services.eventPersister.enabled;
}

/**
 * Whether db-vacuum was asked to delete events that it will leave alone because the event persister
 * is off (vacuumTargetEnabled's rule): worth saying at start, since the setting alone says otherwise.
 */
export function vacuumEventsHeldBack(settings: Settings): boolean {
  const services = settings.server.services;
  return services.dbVacuum.enabled.includes('events') && !vacuumTargetEnabled(settings, 'events');
}

const SERVICES = 'PREFECT_SERVER_SERVICES_';

export const SERVICE_CATALOGUE: readonly ServiceDescriptor[] = Object.freeze([
  {
    name: 'task-run-recorder',
    prefectName: 'TaskRunRecorder',
    family: 'stream-consumer',
    envVar: `${SERVICES}TASK_RUN_RECORDER_ENABLED`,
    description: 'Turns client-emitted task-run events into task runs and their states',
    isEnabled: (s) => s.server.services.taskRunRecorder.enabled,
  },
  {
    name: 'event-logger',
    prefectName: 'EventLogger',
    family: 'stream-consumer',
    envVar: `${SERVICES}EVENT_LOGGER_ENABLED`,
    description: 'Prints one line per event to the console (debugging aid)',
    isEnabled: (s) => s.server.services.eventLogger.enabled,
  },
  {
    name: 'event-persister',
    prefectName: 'EventPersister',
    family: 'stream-consumer',
    envVar: `${SERVICES}EVENT_PERSISTER_ENABLED`,
    description: 'Stores events and their resources in the database',
    isEnabled: (s) => s.server.services.eventPersister.enabled,
  },
  {
    name: 'triggers',
    prefectName: 'ReactiveTriggers',
    family: 'stream-consumer',
    envVar: `${SERVICES}TRIGGERS_ENABLED`,
    description: 'Evaluates automation triggers against incoming events',
    isEnabled: (s) => s.server.services.triggers.enabled,
  },
  {
    name: 'actions',
    prefectName: 'Actions',
    family: 'stream-consumer',
    // Upstream switches actions with the triggers flag; Orrery adds a flag of its own so the actions
    // can run in processes apart from the triggers (both must be on).
    envVar: `${SERVICES}ACTIONS_ENABLED`,
    description: 'Carries out the actions of automations that fired',
    isEnabled: (s) => s.server.services.triggers.enabled && s.server.services.actions.enabled,
  },
  {
    name: 'distributor',
    prefectName: 'Distributor',
    family: 'stream-consumer',
    envVar: 'PREFECT_SERVER_EVENTS_STREAM_OUT_ENABLED',
    description: 'Streams live events to /api/events/out websockets in this process',
    isEnabled: (s) => s.server.events.streamOutEnabled,
  },
  {
    name: 'log-distributor',
    prefectName: 'LogDistributor',
    family: 'stream-consumer',
    envVar: 'PREFECT_SERVER_LOGS_STREAM_OUT_ENABLED',
    description: 'Streams live logs to /api/logs/out websockets in this process',
    isEnabled: (s) => s.server.logs.streamOutEnabled,
  },
  {
    name: 'scheduler',
    prefectName: 'schedule_deployments',
    family: 'periodic',
    envVar: `${SERVICES}SCHEDULER_ENABLED`,
    description: 'Creates upcoming flow runs for deployments with active schedules',
    isEnabled: (s) => s.server.services.scheduler.enabled,
  },
  {
    name: 'late-runs',
    prefectName: 'monitor_late_runs',
    family: 'periodic',
    envVar: `${SERVICES}LATE_RUNS_ENABLED`,
    description: 'Marks scheduled runs that missed their start time as Late',
    isEnabled: (s) => s.server.services.lateRuns.enabled,
  },
  {
    name: 'pause-expirations',
    prefectName: 'monitor_expired_pauses',
    family: 'periodic',
    envVar: `${SERVICES}PAUSE_EXPIRATIONS_ENABLED`,
    description: 'Fails paused runs whose pause timeout has passed',
    isEnabled: (s) => s.server.services.pauseExpirations.enabled,
  },
  {
    name: 'cancellation-cleanup',
    prefectName: 'monitor_cancelled_flow_runs',
    family: 'periodic',
    envVar: `${SERVICES}CANCELLATION_CLEANUP_ENABLED`,
    description: 'Cancels children of cancelled runs and times out stuck cancellations',
    isEnabled: (s) => s.server.services.cancellationCleanup.enabled,
  },
  {
    name: 'foreman',
    prefectName: 'monitor_worker_health',
    family: 'periodic',
    envVar: `${SERVICES}FOREMAN_ENABLED`,
    description: 'Marks silent workers offline and unpolled pools, deployments and queues not ready',
    isEnabled: (s) => s.server.services.foreman.enabled,
  },
  {
    name: 'repossessor',
    prefectName: 'monitor_expired_leases',
    family: 'periodic',
    envVar: `${SERVICES}REPOSSESSOR_ENABLED`,
    description: 'Releases concurrency slots held by expired leases',
    isEnabled: (s) => s.server.services.repossessor.enabled,
  },
  {
    name: 'cleanup-reconciler',
    prefectName: 'reconcile_cleanup_delivery',
    family: 'periodic',
    envVar: `${SERVICES}CLEANUP_RECONCILER_ENABLED`,
    description: 'Redelivers or dead-letters worker cleanup messages whose lease expired',
    isEnabled: (s) => s.server.services.cleanupReconciler.enabled,
  },
  {
    name: 'db-vacuum',
    prefectName: 'schedule_vacuum_tasks',
    family: 'periodic',
    envVar: `${SERVICES}DB_VACUUM_ENABLED`,
    description: 'Deletes expired events and, when enabled, old flow runs and orphaned rows',
    isEnabled: (s) => vacuumTargetEnabled(s, 'events') || vacuumTargetEnabled(s, 'flow_runs'),
  },
  {
    name: 'telemetry',
    prefectName: 'send_telemetry_heartbeat',
    family: 'periodic',
    envVar: 'PREFECT_SERVER_ANALYTICS_ENABLED',
    description: "Upstream's usage heartbeat to Prefect; deliberately absent (Orrery sends nothing anywhere)",
    isEnabled: (s) => s.server.analyticsEnabled,
  },
] satisfies ServiceDescriptor[]);
