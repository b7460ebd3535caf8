import { loadSettings } from '@orrery/config';
import { buildServicesReport, formatServicesTable, servicesReportJson } from './services-report';

describe('services report', () => {
  it('lists every service of both families with its env var and enabled state', () => {
    const settings = loadSettings({
      PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED: 'false',
      PREFECT_HOME: '/tmp/x',
    });
    const rows = buildServicesReport(settings, null);
    expect(rows.map((r) => r.family)).toEqual(expect.arrayContaining(['stream-consumer', 'periodic']));
    const lateRuns = rows.find((r) => r.name === 'late-runs');
    expect(lateRuns).toMatchObject({ enabled: false, envVar: 'PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED' });
    expect(rows.find((r) => r.name === 'scheduler')?.enabled).toBe(true);
    const table = formatServicesTable(rows);
    expect(table).toMatch(/late-runs\s+periodic\s+x\s+PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED/);
    expect(table).toMatch(/scheduler\s+periodic\s+✓\s+PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED/);
    expect(servicesReportJson(rows)).toContainEqual(
      expect.objectContaining({
        name: 'late-runs',
        enabled: false,
        environment_variable: 'PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED',
      }),
    );
  });

  it('shows a service without an implementation as "not implemented", never as enabled', () => {
    const settings = loadSettings({
      PREFECT_HOME: '/tmp/x',
      PREFECT_SERVER_ANALYTICS_ENABLED: 'true',
      PREFECT_SERVER_SERVICES_CLEANUP_RECONCILER_ENABLED: 'true',
      PREFECT_SERVER_LOGS_STREAM_OUT_ENABLED: 'true',
    });
    const rows = buildServicesReport(settings, null);
    const table = formatServicesTable(rows);
    for (const name of ['telemetry', 'cleanup-reconciler']) {
      expect(rows.find((r) => r.name === name)).toMatchObject({ enabled: true, implemented: false });
      expect(table).toMatch(new RegExp(`^${name}\\s+\\S+\\s+not implemented\\s`, 'm'));
      expect(servicesReportJson(rows)).toContainEqual(
        expect.objectContaining({ name, enabled: false, implemented: false }),
      );
    }
    // The log distributor works (inside every API process): enabled, not "not implemented".
    expect(rows.find((r) => r.name === 'log-distributor')).toMatchObject({
      enabled: true,
      implemented: true,
    });
    expect(table).toMatch(/^log-distributor\s+\S+\s+✓\s/m);
    // The automation services run (issue 14).
    for (const name of ['triggers', 'actions']) {
      expect(rows.find((r) => r.name === name)).toMatchObject({ enabled: true, implemented: true });
    }
  });

  it('shows live replicas and consumer-group lag when known', () => {
    const settings = loadSettings({ PREFECT_HOME: '/tmp/x' });
    const rows = buildServicesReport(settings, {
      processes: [
        {
          id: 'a-1',
          host: 'a',
          pid: 1,
          api: null,
          services: ['event-persister'],
          metrics: 'http://a:9464/metrics',
          startedAt: '',
          heartbeatAt: '',
        },
        {
          id: 'b-2',
          host: 'b',
          pid: 2,
          api: null,
          services: ['event-persister', 'late-runs'],
          startedAt: '',
          heartbeatAt: '',
        },
      ],
      groups: new Map([['events/event-persister', { lag: 7, pending: 1, consumers: 2, deadLetters: 3 }]]),
    });
    const persister = rows.find((r) => r.name === 'event-persister');
    expect(persister?.replicas).toEqual(['a-1', 'b-2']);
    expect(persister?.group?.lag).toBe(7);
    expect(persister?.metrics).toEqual(['http://a:9464/metrics']);
    const on = loadSettings({ PREFECT_HOME: '/tmp/x', PREFECT_SERVER_METRICS_ENABLED: 'true' });
    expect(formatServicesTable(rows, on)).toContain('PREFECT_SERVER_SERVICES_METRICS_PORT');
    expect(formatServicesTable(rows, on)).toContain('  http://a:9464/metrics');
    expect(formatServicesTable(rows)).toMatch(/event-persister\s+stream-consumer\s+✓\s+\S+\s+2\s+7\s+3/);
  });
});
