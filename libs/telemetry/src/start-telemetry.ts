import type { NodeSDK } from '@opentelemetry/sdk-node';
import { traceQueries } from './db-tracing';

let sdk: NodeSDK | null = null;

/**
 * Starts the OpenTelemetry SDK (architecture decision 11) when the standard `OTEL_*` variables ask
 * for export (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, and not
 * `OTEL_SDK_DISABLED=true`): PostgreSQL statements (inside a recorded span) and Orrery's own spans — HTTP
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
  const { Client } = require('pg') as typeof import('pg');
  /* eslint-enable @typescript-eslint/no-require-imports */
  sdk = new Sdk({
    serviceName: env.OTEL_SERVICE_NAME ?? serviceName,
    traceExporter: new OTLPTraceExporter(),
    // The sampler is the SDK's: OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG, parentbased_always_on by default.
    // Metrics have their own meter provider (startMetrics), whatever OTEL_METRICS_EXPORTER says.
    metricReaders: [],
    instrumentations: [],
  });
  sdk.start();
  // Statements inside a recorded span get a span of their own (db-tracing.ts).
  traceQueries(Client);
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
