import type { NodeSDK } from '@opentelemetry/sdk-node';
import { orrerySampler } from './trace-sampler';

let sdk: NodeSDK | null = null;

/**
 * Starts the OpenTelemetry SDK (architecture decision 11) when the standard `OTEL_*` variables ask
 * for export (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, and not
 * `OTEL_SDK_DISABLED=true`): PostgreSQL queries (inside a trace) and Orrery's own spans — HTTP
 * server spans (libs/api), orchestration, jobs, bus hops — go to the OTLP collector. Must run before
 * Nest and pg are loaded, so each app's `instrument.ts` calls it
 * from the first import of its `main.ts`. Without those variables nothing is loaded and the API's
 * tracer is a no-op. Returns whether the SDK started.
 */
export function startTelemetry(serviceName: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (sdk !== null) return true;
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (endpoint === undefined || endpoint === '' || env.OTEL_SDK_DISABLED === 'true') return false;
  // Loaded lazily: processes that export nothing never pay for the SDK.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { NodeSDK: Sdk } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { PgInstrumentation } =
    require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const sdkTrace = require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  /* eslint-enable @typescript-eslint/no-require-imports */
  sdk = new Sdk({
    serviceName: env.OTEL_SERVICE_NAME ?? serviceName,
    traceExporter: new OTLPTraceExporter(),
    // OTEL_TRACES_SAMPLER as documented, without spans for START TRANSACTION / COMMIT and the like.
    sampler: orrerySampler(sdkTrace, env),
    // Metrics have their own meter provider (startMetrics), whatever OTEL_METRICS_EXPORTER says.
    metricReaders: [],
    instrumentations: [
      // Only inside a trace: the bus consumers' blocking reads, the job runner's polling and the
      // outbox relay would otherwise each start a root span every second, load or not.
      // No span per pool checkout: about one in seven spans of a lifecycle, and its time already
      // shows as the gap before the query span.
      new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true }),
    ],
  });
  sdk.start();
  const stop = (): void => {
    void sdk?.shutdown();
  };
  process.once('beforeExit', stop);
  return true;
}

/** Whether `startTelemetry` started the tracing SDK in this process. */
export function tracingStarted(): boolean {
  return sdk !== null;
}

/** Flushes and stops the SDK (on shutdown). */
export async function stopTelemetry(): Promise<void> {
  await sdk?.shutdown();
  sdk = null;
}
