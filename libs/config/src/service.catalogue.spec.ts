import { loadSettings } from './settings.loader';
import { SERVICE_CATALOGUE, vacuumEventsHeldBack, vacuumTargetEnabled } from './service.catalogue';
import { settingDefinitions } from './settings.loader';

const byName = (name: string) => {
  const service = SERVICE_CATALOGUE.find((candidate) => candidate.name === name);
  if (service === undefined) throw new Error(`no service ${name}`);
  return service;
};

describe('SERVICE_CATALOGUE', () => {
  it('lists stream consumers first, then periodic services, with their enable variables', () => {
    expect(
      SERVICE_CATALOGUE.map((service) => [service.name, service.prefectName, service.family, service.envVar]),
    ).toEqual([
      [
        'task-run-recorder',
        'TaskRunRecorder',
        'stream-consumer',
        'PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED',
      ],
      ['event-logger', 'EventLogger', 'stream-consumer', 'PREFECT_SERVER_SERVICES_EVENT_LOGGER_ENABLED'],
      [
        'event-persister',
        'EventPersister',
        'stream-consumer',
        'PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED',
      ],
      ['triggers', 'ReactiveTriggers', 'stream-consumer', 'PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED'],
      ['actions', 'Actions', 'stream-consumer', 'PREFECT_SERVER_SERVICES_ACTIONS_ENABLED'],
      ['distributor', 'Distributor', 'stream-consumer', 'PREFECT_SERVER_EVENTS_STREAM_OUT_ENABLED'],
      ['log-distributor', 'LogDistributor', 'stream-consumer', 'PREFECT_SERVER_LOGS_STREAM_OUT_ENABLED'],
      ['scheduler', 'schedule_deployments', 'periodic', 'PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED'],
      ['late-runs', 'monitor_late_runs', 'periodic', 'PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED'],
      [
        'pause-expirations',
        'monitor_expired_pauses',
        'periodic',
        'PREFECT_SERVER_SERVICES_PAUSE_EXPIRATIONS_ENABLED',
      ],
      [
        'cancellation-cleanup',
        'monitor_cancelled_flow_runs',
        'periodic',
        'PREFECT_SERVER_SERVICES_CANCELLATION_CLEANUP_ENABLED',
      ],
      ['foreman', 'monitor_worker_health', 'periodic', 'PREFECT_SERVER_SERVICES_FOREMAN_ENABLED'],
      ['repossessor', 'monitor_expired_leases', 'periodic', 'PREFECT_SERVER_SERVICES_REPOSSESSOR_ENABLED'],
      [
        'cleanup-reconciler',
        'reconcile_cleanup_delivery',
        'periodic',
        'PREFECT_SERVER_SERVICES_CLEANUP_RECONCILER_ENABLED',
      ],
      ['db-vacuum', 'schedule_vacuum_tasks', 'periodic', 'PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED'],
      ['telemetry', 'send_telemetry_heartbeat', 'periodic', 'PREFECT_SERVER_ANALYTICS_ENABLED'],
    ]);
  });

  it('names only variables the settings loader reads', () => {
    const known = new Set(settingDefinitions().map((definition) => definition.env));
    for (const service of SERVICE_CATALOGUE) expect(known).toContain(service.envVar);
  });

  it('has one-line descriptions', () => {
    for (const service of SERVICE_CATALOGUE) {
      expect(service.description.length).toBeGreaterThan(10);
      expect(service.description).not.toContain('\n');
    }
  });

  it('enables everything but the event logger and the log distributor by default', () => {
    const settings = loadSettings({});
    const disabled = SERVICE_CATALOGUE.filter((service) => !service.isEnabled(settings)).map(
      (service) => service.name,
    );
    expect(disabled).toEqual(['event-logger', 'log-distributor']);
  });

  it('turns a service off through its variable and through the legacy alias', () => {
    expect(
      byName('late-runs').isEnabled(loadSettings({ PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED: 'false' })),
    ).toBe(false);
    expect(
      byName('late-runs').isEnabled(loadSettings({ PREFECT_API_SERVICES_LATE_RUNS_ENABLED: 'false' })),
    ).toBe(false);
    expect(
      byName('late-runs').isEnabled(loadSettings({ PREFECT_API_SERVICES_SCHEDULER_ENABLED: 'false' })),
    ).toBe(true);
  });

  it('switches each service by the variable it lists', () => {
    for (const service of SERVICE_CATALOGUE) {
      if (service.name === 'db-vacuum') continue; // a set, covered below
      const on = loadSettings({ [service.envVar]: 'true' });
      const off = loadSettings({ [service.envVar]: 'false' });
      expect([service.name, service.isEnabled(on), service.isEnabled(off)]).toEqual([
        service.name,
        true,
        false,
      ]);
    }
  });

  it('switches actions together with triggers and the distributor with the legacy stream-out alias', () => {
    const settings = loadSettings({ PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED: 'off' });
    expect(byName('triggers').isEnabled(settings)).toBe(false);
    expect(byName('actions').isEnabled(settings)).toBe(false);
    // Orrery's own flag stops the actions alone.
    const apart = loadSettings({ PREFECT_SERVER_SERVICES_ACTIONS_ENABLED: 'false' });
    expect(byName('triggers').isEnabled(apart)).toBe(true);
    expect(byName('actions').isEnabled(apart)).toBe(false);
    expect(
      byName('distributor').isEnabled(loadSettings({ PREFECT_API_EVENTS_STREAM_OUT_ENABLED: 'false' })),
    ).toBe(false);
  });

  it('runs db-vacuum when either target is live; the event target needs the event persister', () => {
    const dbVacuum = byName('db-vacuum');
    const noPersister = loadSettings({ PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED: 'false' });
    expect(dbVacuum.isEnabled(noPersister)).toBe(false);
    expect(vacuumTargetEnabled(noPersister, 'events')).toBe(false);
    const both = loadSettings({
      PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED: 'true',
      PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED: 'false',
    });
    expect(dbVacuum.isEnabled(both)).toBe(true);
    expect(vacuumTargetEnabled(both, 'flow_runs')).toBe(true);
    expect(dbVacuum.isEnabled(loadSettings({ PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED: '[]' }))).toBe(false);
  });

  it('says when db-vacuum was asked for events it leaves alone', () => {
    expect(
      vacuumEventsHeldBack(loadSettings({ PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED: 'false' })),
    ).toBe(true);
    expect(vacuumEventsHeldBack(loadSettings({}))).toBe(false);
    const runsOnly = loadSettings({
      PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED: 'flow_runs',
      PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED: 'false',
    });
    expect(vacuumEventsHeldBack(runsOnly)).toBe(false);
  });
});
