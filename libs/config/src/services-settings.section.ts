import {
  booleanForm,
  durationForm,
  durationMapForm,
  integerForm,
  numberForm,
  type SettingForm,
  textForm,
} from './setting.forms';
import { type SettingsReader } from './settings.reader';
import { type ServicesSettings, type VacuumTarget } from './settings.types';

const VACUUM_TARGETS: readonly VacuumTarget[] = ['events', 'flow_runs'];

/**
 * PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED is a set of targets. Forms: `events,flow_runs`, a JSON
 * list `["events"]`, or a legacy boolean (true → both, false → events only, as upstream maps them).
 */
function vacuumTargetsForm(): SettingForm<VacuumTarget[]> {
  const expected = 'a comma-separated list or JSON list of events, flow_runs (or true/false)';
  return {
    label: 'set of events, flow_runs (or legacy boolean)',
    parse(raw) {
      const text = raw.trim();
      const legacy = booleanForm().parse(text);
      if (legacy.ok) return { ok: true, value: legacy.value ? ['events', 'flow_runs'] : ['events'] };
      let items: unknown[];
      if (text.startsWith('[')) {
        try {
          const parsed: unknown = JSON.parse(text);
          if (!Array.isArray(parsed)) return { ok: false, expected };
          items = parsed;
        } catch {
          return { ok: false, expected };
        }
      } else {
        items = text
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item !== '');
      }
      const targets = new Set<VacuumTarget>();
      for (const item of items) {
        const target = VACUUM_TARGETS.find((candidate) => candidate === item);
        if (target === undefined) return { ok: false, expected };
        targets.add(target);
      }
      return { ok: true, value: VACUUM_TARGETS.filter((target) => targets.has(target)) };
    },
  };
}

/** `server.services.*`: every background service's switch, interval and tuning. */
export function readServicesSettings(r: SettingsReader): ServicesSettings {
  const f = {
    bool: booleanForm(),
    positiveInt: integerForm({ min: 1 }),
    positiveNum: numberForm({ above: 0 }),
    seconds: durationForm({ min: 0 }),
  };
  const enabled = (service: string, label: string, fallback = true): boolean =>
    r.read(`server.services.${service}.enabled`, f.bool, {
      default: fallback,
      description: `Run the ${label} service`,
    });
  const loop = (service: string, fallback: number, description: string): number =>
    r.read(`server.services.${service}.loop_seconds`, f.positiveNum, { default: fallback, description });
  const int = (service: string, key: string, fallback: number, description: string): number =>
    r.read(`server.services.${service}.${key}`, f.positiveInt, { default: fallback, description });
  const num = (service: string, key: string, fallback: number, description: string): number =>
    r.read(`server.services.${service}.${key}`, f.positiveNum, { default: fallback, description });
  const duration = (service: string, key: string, fallback: number, description: string): number =>
    r.read(`server.services.${service}.${key}`, f.seconds, { default: fallback, description });

  return {
    metrics: {
      host: r.read('server.services.metrics_host', textForm(), {
        default: '127.0.0.1',
        description: 'Address of the metrics endpoint of a process without the API',
      }),
      port: r.read('server.services.metrics_port', integerForm({ min: 0, max: 65535 }), {
        default: 9464,
        description: 'Port of that endpoint (GET /metrics); 0 picks a free port',
      }),
    },
    cancellationCleanup: {
      enabled: enabled('cancellation_cleanup', 'cancellation-cleanup'),
      loopSeconds: loop('cancellation_cleanup', 20, 'Interval of the cancellation-cleanup monitors'),
      cancellingTimeoutSeconds: num(
        'cancellation_cleanup',
        'cancelling_timeout_seconds',
        300,
        'A run stuck in CANCELLING this long is marked Cancelled',
      ),
    },
    dbVacuum: {
      enabled: r.read('server.services.db_vacuum.enabled', vacuumTargetsForm(), {
        default: ['events'],
        description: 'What db-vacuum deletes: events, flow_runs (a set; legacy true = both, false = events)',
      }),
      loopSeconds: loop('db_vacuum', 3600, 'Interval of the db-vacuum finders'),
      retentionPeriod: r.read('server.services.db_vacuum.retention_period', durationForm({ above: 3600 }), {
        default: 7776000,
        description: 'Terminal top-level flow runs older than this are deleted (when flow_runs is enabled)',
      }),
      batchSize: int('db_vacuum', 'batch_size', 200, 'Rows per delete transaction'),
      eventRetentionOverrides: r.read(
        'server.services.db_vacuum.event_retention_overrides',
        durationMapForm(),
        {
          default: { 'prefect.flow-run.heartbeat': 604800 },
          description: 'Per event type retention in seconds, each capped by the events retention period',
        },
      ),
    },
    eventPersister: {
      enabled: enabled('event_persister', 'event-persister'),
      batchSize: int('event_persister', 'batch_size', 20, 'Events per flush'),
      readBatchSize: int('event_persister', 'read_batch_size', 1, 'Messages per stream read'),
      flushInterval: num('event_persister', 'flush_interval', 5, 'Seconds between flushes'),
      queueMaxSize: int(
        'event_persister',
        'queue_max_size',
        50000,
        'Buffered events before new ones are dropped',
      ),
      maxFlushRetries: int(
        'event_persister',
        'max_flush_retries',
        5,
        'Failed flushes before a batch is dropped',
      ),
    },
    eventLogger: { enabled: enabled('event_logger', 'event-logger (prints each event; a debug aid)', false) },
    foreman: {
      enabled: enabled('foreman', 'foreman'),
      loopSeconds: loop('foreman', 15, 'Interval of the worker/pool/deployment/queue health check'),
      inactivityHeartbeatMultiple: int(
        'foreman',
        'inactivity_heartbeat_multiple',
        3,
        'Missed heartbeat intervals before a worker is OFFLINE',
      ),
      fallbackHeartbeatIntervalSeconds: int(
        'foreman',
        'fallback_heartbeat_interval_seconds',
        30,
        'Heartbeat interval assumed for workers that did not send one',
      ),
      deploymentLastPolledTimeoutSeconds: int(
        'foreman',
        'deployment_last_polled_timeout_seconds',
        60,
        'Seconds without a poll before a deployment is NOT_READY',
      ),
      workQueueLastPolledTimeoutSeconds: int(
        'foreman',
        'work_queue_last_polled_timeout_seconds',
        60,
        'Seconds without a poll before a work queue is NOT_READY',
      ),
    },
    lateRuns: {
      enabled: enabled('late_runs', 'late-runs'),
      loopSeconds: loop('late_runs', 5, 'Interval of the late-runs monitor'),
      afterSeconds: duration(
        'late_runs',
        'after_seconds',
        15,
        'A Scheduled run this far past its start is marked Late',
      ),
    },
    scheduler: {
      enabled: enabled('scheduler', 'scheduler'),
      loopSeconds: loop('scheduler', 60, 'Interval of the scheduler'),
      deploymentBatchSize: int('scheduler', 'deployment_batch_size', 100, 'Deployments per scheduler page'),
      maxRuns: int('scheduler', 'max_runs', 100, 'Most future runs scheduled per schedule'),
      minRuns: int('scheduler', 'min_runs', 3, 'Fewest future runs scheduled per schedule'),
      maxScheduledTime: duration(
        'scheduler',
        'max_scheduled_time',
        8640000,
        'Schedule no further ahead than this',
      ),
      minScheduledTime: duration(
        'scheduler',
        'min_scheduled_time',
        3600,
        'Always schedule at least this far ahead',
      ),
      insertBatchSize: int('scheduler', 'insert_batch_size', 500, 'Runs per insert statement'),
      recentDeploymentsLoopSeconds: num(
        'scheduler',
        'recent_deployments_loop_seconds',
        5,
        'Interval of the recently-changed-deployments scheduler',
      ),
    },
    pauseExpirations: {
      enabled: enabled('pause_expirations', 'pause-expirations'),
      loopSeconds: loop('pause_expirations', 5, 'Interval of the expired-pause monitor'),
    },
    repossessor: {
      enabled: enabled('repossessor', 'repossessor'),
      loopSeconds: loop('repossessor', 15, 'Interval of the expired-lease monitor'),
    },
    cleanupReconciler: {
      enabled: enabled('cleanup_reconciler', 'cleanup-reconciler'),
      loopSeconds: loop('cleanup_reconciler', 5, 'Interval of the cleanup-delivery reconciler'),
      batchSize: int('cleanup_reconciler', 'batch_size', 100, 'Expired cleanup leases handled per tick'),
    },
    taskRunRecorder: {
      enabled: enabled('task_run_recorder', 'task-run-recorder'),
      readBatchSize: int('task_run_recorder', 'read_batch_size', 1, 'Messages per stream read'),
      batchSize: int('task_run_recorder', 'batch_size', 1, 'Task-run events per flush'),
      flushInterval: num('task_run_recorder', 'flush_interval', 5, 'Seconds between flushes'),
    },
    triggers: {
      enabled: enabled('triggers', 'triggers and actions'),
      readBatchSize: int('triggers', 'read_batch_size', 1, 'Messages per stream read'),
      pgNotifyReconnectIntervalSeconds: int(
        'triggers',
        'pg_notify_reconnect_interval_seconds',
        10,
        'Delay before re-opening the automation-changes LISTEN connection',
      ),
      pgNotifyHeartbeatIntervalSeconds: int(
        'triggers',
        'pg_notify_heartbeat_interval_seconds',
        5,
        'Health-check interval of the LISTEN connection',
      ),
    },
    actions: {
      enabled: r.read('server.services.actions.enabled', f.bool, {
        default: true,
        description:
          'Run the actions service (Orrery only; PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED=false also stops it, as upstream)',
      }),
    },
  };
}
