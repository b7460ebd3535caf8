import {
  recordAutomationAction,
  recordServiceAction,
  recordStateTransition,
  recordTriggerEvents,
  recordTriggerFiring,
  recordWebsocket,
} from './instruments';
import { instrumentJob } from './spans';
import { otlpMetricsRequested, runningMetrics, startMetrics } from './metrics';

// One meter provider per process: started here with the Prometheus reader only, scraped as text.
describe('metrics', () => {
  afterEach(async () => {
    await runningMetrics()?.shutdown();
  });

  it('starts nothing (instruments stay no-ops) when neither Prometheus nor OTLP is asked for', () => {
    expect(startMetrics({ serviceName: 'test', prometheus: false, env: {} })).toBeNull();
    expect(() => recordStateTransition('flow_run', 'COMPLETED', 'ACCEPT')).not.toThrow();
  });

  it('asks for an OTLP push only with an endpoint, and not when the SDK or metrics exporter is off', () => {
    expect(otlpMetricsRequested({})).toBe(false);
    expect(otlpMetricsRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).toBe(true);
    expect(otlpMetricsRequested({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://c:4318/v1/metrics' })).toBe(
      true,
    );
    expect(otlpMetricsRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_SDK_DISABLED: 'true' })).toBe(
      false,
    );
    expect(
      otlpMetricsRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_METRICS_EXPORTER: 'none' }),
    ).toBe(false);
  });

  it('scrapes what was recorded, in the Prometheus text format, with runtime metrics', async () => {
    const handle = startMetrics({ serviceName: 'orrery-test', prometheus: true, env: {} });
    expect(handle).not.toBeNull();
    recordStateTransition('flow_run', 'COMPLETED', 'ACCEPT');
    recordStateTransition('flow_run', 'COMPLETED', 'ACCEPT');
    recordServiceAction('late-runs', 'mark_late', 0);
    recordWebsocket('/api/events/in', 1);
    recordTriggerEvents('evaluated', 3);
    recordTriggerFiring('Reactive');
    recordAutomationAction('call-webhook', 'executed');
    recordAutomationAction('call-webhook', 'executed');
    recordAutomationAction('send-notification', 'failed');
    const tick = instrumentJob('tick', 'periodic', () => Promise.resolve());
    const failing = instrumentJob('item', 'item', () => Promise.reject(new Error('boom')));
    await tick();
    await expect(failing()).rejects.toThrow('boom');

    const text = await handle!.scrape();
    expect(text).toContain('target_info{service_name="orrery-test"');
    expect(text).toContain(
      'orrery_run_state_transitions_total{orrery_run_kind="flow_run",orrery_state_type="COMPLETED",status="ACCEPT"} 2',
    );
    expect(text).toContain('orrery_service_actions_total{service="late-runs",action="mark_late"} 0');
    expect(text).toContain('orrery_websocket_connections{endpoint="/api/events/in"} 1');
    expect(text).toContain('orrery_triggers_events_total{outcome="evaluated"} 3');
    expect(text).toContain('orrery_triggers_firings_total{posture="Reactive"} 1');
    expect(text).toContain(
      'orrery_automations_actions_total{action_type="call-webhook",outcome="executed"} 2',
    );
    expect(text).toContain(
      'orrery_automations_actions_total{action_type="send-notification",outcome="failed"} 1',
    );
    expect(text).toContain(
      'orrery_job_runs_total{orrery_job_name="tick",orrery_job_kind="periodic",outcome="ok"} 1',
    );
    expect(text).toContain(
      'orrery_job_runs_total{orrery_job_name="item",orrery_job_kind="item",outcome="error"} 1',
    );
    expect(text).toContain('orrery_job_stalled_total{orrery_job_name="tick"} 0');
    expect(text).toMatch(/^process_cpu_time_total\{cpu_mode="user"\} [\d.]+$/m);
    expect(text).toMatch(/^nodejs_eventloop_delay_p99 [\d.e-]+$/m);
    expect(text).toMatch(/^process_memory_usage \d+$/m);
  });
});
