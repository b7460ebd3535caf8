import type { Histogram, Meter, ObservableResult, UpDownCounter } from '@opentelemetry/api';
import { orreryMeter } from './metrics';

/*
 * Every Orrery instrument, created once per meter provider (so they are real once `startMetrics`
 * ran, and no-ops before). Names follow OpenTelemetry semantic conventions where one exists,
 * `orrery.*` otherwise; attributes are low-cardinality only (route templates, state types, topic
 * and group names, job names) — never an id. docs/observability.md lists them with their
 * Prometheus names (dots become underscores, counters get `_total`).
 */

/** Seconds buckets for request-sized latencies (the HTTP semantic convention's advice). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
/** Seconds buckets for work that may take minutes (job ticks, recorder lag). */
const SLOW_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
const SIZE_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

function create(meter: Meter) {
  const seconds = (name: string, description: string, buckets = LATENCY_BUCKETS): Histogram =>
    meter.createHistogram(name, { unit: 's', description, advice: { explicitBucketBoundaries: buckets } });
  return {
    httpDuration: seconds('http.server.request.duration', 'HTTP requests, by route template and status'),
    websocketConnections: meter.createUpDownCounter('orrery.websocket.connections', {
      description: 'Open websocket connections, by endpoint',
    }),
    stateTransitions: meter.createCounter('orrery.run.state_transitions', {
      description: 'Run state proposals, by run kind, proposed state type and orchestration status',
    }),
    orchestrationDuration: seconds(
      'orrery.orchestration.duration',
      'Orchestration transactions (lock, rules, write, emit), by run kind',
    ),
    serviceActions: meter.createCounter('orrery.service.actions', {
      description: 'What background services did, by service and action',
    }),
    triggerEvents: meter.createCounter('orrery.triggers.events', {
      description: 'Events the triggers service read, by outcome (evaluated: a trigger covers it; passed)',
    }),
    triggerFirings: meter.createCounter('orrery.triggers.firings', {
      description: 'Trigger firings committed, by posture (Reactive, Proactive; compound/sequence parents)',
    }),
    automationActions: meter.createCounter('orrery.automations.actions', {
      description: 'Automation actions the actions service handled, by action type and outcome',
    }),
    busPublished: meter.createCounter('orrery.bus.published', {
      description: 'Messages published, by topic',
    }),
    busHandled: meter.createCounter('orrery.bus.handled', {
      description: 'Messages handled, by topic, group and outcome',
    }),
    busRedelivered: meter.createCounter('orrery.bus.redelivered', {
      description: 'Messages handled again after a failed or lost delivery, by topic and group',
    }),
    busHandlerDuration: seconds(
      'orrery.bus.handler.duration',
      'Handler calls (one message or one batch), by topic and group',
      SLOW_BUCKETS,
    ),
    persisterEvents: meter.createCounter('orrery.event_persister.events', { description: 'Events written' }),
    persisterBatchSize: meter.createHistogram('orrery.event_persister.batch.size', {
      description: 'Events per flush',
      advice: { explicitBucketBoundaries: SIZE_BUCKETS },
    }),
    recorderLag: seconds(
      'orrery.task_run_recorder.lag',
      'From a task-run event occurring to its state row committing',
      SLOW_BUCKETS,
    ),
    jobRuns: meter.createCounter('orrery.job.runs', {
      description: 'Periodic ticks and per-item jobs run here, by job, kind and outcome',
    }),
    jobDuration: seconds('orrery.job.duration', 'Job runs, by job and kind', SLOW_BUCKETS),
    jobStalled: meter.createCounter('orrery.job.stalled', {
      description: 'Jobs whose worker stopped renewing its lock (recovered by another), by job',
    }),
  };
}

type Instruments = ReturnType<typeof create>;
let cached: { meter: Meter; instruments: Instruments } | null = null;

/** The instruments of the current meter provider (cheap: one comparison after the first call). */
export function instruments(): Instruments {
  const meter = orreryMeter();
  if (cached === null || cached.meter !== meter) cached = { meter, instruments: create(meter) };
  return cached.instruments;
}

export type RunKind = 'flow_run' | 'task_run';

/** One state proposal's outcome (`status` ACCEPT, REJECT, WAIT or ABORT). */
export function recordStateTransition(kind: RunKind, stateType: string, status: string): void {
  instruments().stateTransitions.add(1, { 'orrery.run.kind': kind, 'orrery.state.type': stateType, status });
}

/**
 * The hook for every background service's work (`orrery.service.actions`): late-runs `mark_late`,
 * foreman `mark_offline`, repossessor `revoke_lease`, cancellation-cleanup `cancel_child`,
 * and — for the triggers and actions services — `fired`/`action_succeeded`/`action_failed`.
 * `count` 0 makes the series exist before the first action (dashboards then show 0, not nothing).
 */
export function recordServiceAction(service: string, action: string, count = 1): void {
  instruments().serviceActions.add(count, { service, action });
}

/** Events read by the triggers service: `evaluated` (some trigger covers it) or `passed`. */
export function recordTriggerEvents(outcome: 'evaluated' | 'passed', count = 1): void {
  instruments().triggerEvents.add(count, { outcome });
}

/** A committed firing; `posture` Reactive/Proactive, or compound/sequence for a composite parent. */
export function recordTriggerFiring(posture: string, count = 1): void {
  instruments().triggerFirings.add(count, { posture });
}

/** One automation action handled: `executed`, `failed` (ActionFailed) or `skipped` (already done). */
export function recordAutomationAction(
  actionType: string,
  outcome: 'executed' | 'failed' | 'skipped',
  count = 1,
): void {
  instruments().automationActions.add(count, { action_type: actionType, outcome });
}

/** Opens (+1) or closes (−1) a websocket connection on `endpoint` (a route template). */
export function recordWebsocket(endpoint: string, delta: 1 | -1): void {
  (instruments().websocketConnections as UpDownCounter).add(delta, { endpoint });
}

/** Registers an observable gauge read on every collection; returns its remover. */
export function observeGauge(
  name: string,
  description: string,
  read: (result: ObservableResult) => void | Promise<void>,
  unit?: string,
): () => void {
  const gauge = orreryMeter().createObservableGauge(name, { description, ...(unit ? { unit } : {}) });
  gauge.addCallback(read);
  return () => gauge.removeCallback(read);
}
