import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
import type * as SdkTrace from '@opentelemetry/sdk-trace-base';

/**
 * The pg instrumentation's span names for transaction control (`pg.query:<OPERATION> <database>`):
 * START TRANSACTION, BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE. They are a sixth of a traced
 * lifecycle's spans and say nothing the enclosing span (the orchestration transaction, a job, a
 * consumer) does not: its duration covers them and its status says whether it committed.
 */
const TRANSACTION_CONTROL = /^pg\.query:(START|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|END)\b/;

/**
 * The sampler `OTEL_TRACES_SAMPLER` / `OTEL_TRACES_SAMPLER_ARG` name (default
 * `parentbased_always_on`, as the SDK's), except that transaction-control statements are never
 * recorded. `sdk` is `@opentelemetry/sdk-trace-base`, passed in because only a process that traces
 * loads it.
 */
export function orrerySampler(sdk: typeof SdkTrace, env: NodeJS.ProcessEnv): SdkTrace.Sampler {
  const inner = samplerFromEnv(sdk, env);
  const notRecorded: SdkTrace.SamplingResult = { decision: sdk.SamplingDecision.NOT_RECORD };
  return {
    shouldSample(
      context: Context,
      traceId: string,
      spanName: string,
      spanKind: SpanKind,
      attributes: Attributes,
      links: Link[],
    ): SdkTrace.SamplingResult {
      if (TRANSACTION_CONTROL.test(spanName)) return notRecorded;
      return inner.shouldSample(context, traceId, spanName, spanKind, attributes, links);
    },
    toString: () => `WithoutTransactionControl{${inner.toString()}}`,
  };
}

function samplerFromEnv(sdk: typeof SdkTrace, env: NodeJS.ProcessEnv): SdkTrace.Sampler {
  const ratio = (): number => {
    const value = Number(env.OTEL_TRACES_SAMPLER_ARG ?? '1');
    return Number.isFinite(value) && value >= 0 && value <= 1 ? value : 1;
  };
  switch (env.OTEL_TRACES_SAMPLER?.trim().toLowerCase()) {
    case 'always_on':
      return new sdk.AlwaysOnSampler();
    case 'always_off':
      return new sdk.AlwaysOffSampler();
    case 'traceidratio':
      return new sdk.TraceIdRatioBasedSampler(ratio());
    case 'parentbased_always_off':
      return new sdk.ParentBasedSampler({ root: new sdk.AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new sdk.ParentBasedSampler({ root: new sdk.TraceIdRatioBasedSampler(ratio()) });
    default:
      return new sdk.ParentBasedSampler({ root: new sdk.AlwaysOnSampler() });
  }
}
