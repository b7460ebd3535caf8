import { type Meter, type MeterProvider, metrics } from '@opentelemetry/api';
import type { MetricReader } from '@opentelemetry/sdk-metrics';
import { hostname } from 'node:os';
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

/*
 * Metrics (architecture decision 11, issue 15): one OpenTelemetry meter provider per process, read
 * two ways — a Prometheus text scrape (`/api/metrics` on the API, the services metrics port
 * elsewhere) and an OTLP push when the standard `OTEL_EXPORTER_OTLP_*` variables ask for it. Until
 * `startMetrics` runs (or when metrics are off) every instrument is the API's no-op, so recording
 * costs a property lookup and an empty call.
 */

export interface MetricsOptions {
  /** `service.name` of the resource (`OTEL_SERVICE_NAME` wins). */
  readonly serviceName: string;
  /** Serve a Prometheus scrape (`PREFECT_SERVER_METRICS_ENABLED`). */
  readonly prometheus: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

/** The running meter provider of this process. */
export interface MetricsHandle {
  /** One Prometheus text-format scrape (runs the observable callbacks). Null without a Prometheus reader. */
  scrape(): Promise<string>;
  readonly prometheus: boolean;
  readonly otlp: boolean;
  shutdown(): Promise<void>;
}

let running: (MetricsHandle & { readonly provider: MeterProvider; readonly meter: Meter }) | null = null;

/** Whether `OTEL_*` asks for an OTLP metrics push. */
export function otlpMetricsRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  const endpoint = env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (endpoint === undefined || endpoint === '' || env.OTEL_SDK_DISABLED === 'true') return false;
  return !(env.OTEL_METRICS_EXPORTER ?? '').split(',').includes('none');
}

/**
 * Starts this process's meter provider when Prometheus metrics are on or OTLP push is configured,
 * and registers it as the global one. Returns null (nothing loaded, instruments stay no-ops)
 * otherwise. Call once, before Nest builds the providers that record.
 */
export function startMetrics(options: MetricsOptions): MetricsHandle | null {
  if (running !== null) return running;
  const env = options.env ?? process.env;
  const otlp = otlpMetricsRequested(env);
  if (!options.prometheus && !otlp) return null;
  // Loaded lazily: processes without metrics never pay for the SDK.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const sdk = require('@opentelemetry/sdk-metrics') as typeof import('@opentelemetry/sdk-metrics');
  const { resourceFromAttributes } =
    require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const readers: MetricReader[] = [];
  let scrape: () => Promise<string> = () => Promise.resolve('');
  if (options.prometheus) {
    const prom =
      require('@opentelemetry/exporter-prometheus') as typeof import('@opentelemetry/exporter-prometheus');
    const reader = new prom.PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true });
    const serializer = new prom.PrometheusSerializer(undefined, false, undefined, false, true);
    readers.push(reader);
    scrape = async () => {
      const { resourceMetrics } = await reader.collect();
      return serializer.serialize(resourceMetrics);
    };
  }
  if (otlp) {
    const { OTLPMetricExporter } =
      require('@opentelemetry/exporter-metrics-otlp-http') as typeof import('@opentelemetry/exporter-metrics-otlp-http');
    const interval = Number(env.OTEL_METRIC_EXPORT_INTERVAL ?? 60_000);
    readers.push(
      new sdk.PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter(),
        exportIntervalMillis: Number.isFinite(interval) && interval > 0 ? interval : 60_000,
      }),
    );
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
  const provider = new sdk.MeterProvider({
    resource: resourceFromAttributes({
      'service.name': env.OTEL_SERVICE_NAME ?? options.serviceName,
      'service.instance.id': `${hostname()}-${process.pid}`,
    }),
    readers,
  });
  metrics.setGlobalMeterProvider(provider);
  const stopRuntime = observeRuntime(provider.getMeter('orrery-runtime'));
  running = {
    provider,
    // Looked up once: getMeter builds a key and searches the provider's meters on every call.
    meter: provider.getMeter('orrery'),
    prometheus: options.prometheus,
    otlp,
    scrape,
    shutdown: async () => {
      stopRuntime();
      running = null;
      metrics.disable();
      await provider.shutdown();
    },
  };
  return running;
}

/** The running metrics of this process, if any. */
export function runningMetrics(): MetricsHandle | null {
  return running;
}

/** The meter every Orrery instrument comes from (the no-op meter while metrics are off). */
export function orreryMeter(): Meter {
  return running?.meter ?? metrics.getMeterProvider().getMeter('orrery');
}

/**
 * Process CPU, memory and event-loop delay, read on collection (semantic-convention names:
 * `process.cpu.time`, `process.memory.usage`, `v8js.memory.heap.used`, `nodejs.eventloop.delay.*`).
 */
function observeRuntime(meter: Meter): () => void {
  const loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });
  loop.enable();
  const cpu = meter.createObservableCounter('process.cpu.time', {
    unit: 's',
    description: 'CPU time of this process, by mode',
  });
  cpu.addCallback((result) => {
    const usage = process.cpuUsage();
    result.observe(usage.user / 1e6, { 'cpu.mode': 'user' });
    result.observe(usage.system / 1e6, { 'cpu.mode': 'system' });
  });
  meter
    .createObservableGauge('process.memory.usage', { unit: 'By', description: 'Resident set size' })
    .addCallback((result) => result.observe(process.memoryUsage.rss()));
  meter
    .createObservableGauge('v8js.memory.heap.used', { unit: 'By', description: 'V8 heap in use' })
    .addCallback((result) => result.observe(process.memoryUsage().heapUsed));
  meter
    .createObservableGauge('process.uptime', { unit: 's', description: 'Seconds since the process started' })
    .addCallback((result) => result.observe(process.uptime()));
  const delay = (name: string, description: string, read: () => number): void =>
    meter
      .createObservableGauge(name, { unit: 's', description })
      .addCallback((result) => result.observe(Number.isFinite(read()) ? read() / 1e9 : 0));
  delay('nodejs.eventloop.delay.p50', 'Event-loop delay, median since the last collection', () =>
    loop.percentile(50),
  );
  delay('nodejs.eventloop.delay.p99', 'Event-loop delay, 99th percentile since the last collection', () =>
    loop.percentile(99),
  );
  delay('nodejs.eventloop.delay.max', 'Event-loop delay, maximum since the last collection', () => loop.max);
  // Percentiles describe the interval between two collections.
  const reset = meter.createObservableGauge('nodejs.eventloop.delay.window', {
    unit: 's',
    description: 'Seconds the event-loop delay figures cover',
  });
  let windowStart = Date.now();
  reset.addCallback((result) => {
    result.observe((Date.now() - windowStart) / 1000);
    windowStart = Date.now();
    setImmediate(() => loop.reset());
  });
  return () => loop.disable();
}
