import { type Attributes, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { instruments, type RunKind } from './instruments';

const tracer = trace.getTracer('orrery');

/**
 * Runs `work` in an INTERNAL span `name` (a child of the active span, or a new trace), ending it
 * with the outcome. Without the tracing SDK the span is the API's no-op.
 */
export async function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  return tracer.startActiveSpan(name, { kind, attributes }, (span) => endWithOutcome(span, () => work(span)));
}

/** Awaits `work`, sets the span's status from its outcome (recording a thrown error) and ends it. */
export async function endWithOutcome<T>(span: Span, work: () => Promise<T>): Promise<T> {
  try {
    const result = await work();
    span.setStatus({ code: SpanStatusCode.OK });
    return result;
  } catch (error) {
    span.recordException(error instanceof Error ? error : new Error(String(error)));
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
    throw error;
  } finally {
    span.end();
  }
}

/**
 * One orchestration transaction (lock, rules, write, emit) as the span `orchestrate <kind>` with
 * its outcome (`orrery.orchestration.status`), counted in `orrery.run.state_transitions` by
 * proposed state type and status and timed in `orrery.orchestration.duration`.
 */
export async function traceOrchestration<T extends { readonly status: string }>(
  kind: RunKind,
  proposedType: string,
  work: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  const meters = instruments();
  let status = 'ERROR';
  try {
    return await inSpan(
      `orchestrate ${kind}`,
      { 'orrery.run.kind': kind, 'orrery.state.type': proposedType },
      async (span) => {
        const result = await work();
        status = result.status;
        span.setAttribute('orrery.orchestration.status', status);
        return result;
      },
    );
  } finally {
    meters.orchestrationDuration.record((performance.now() - started) / 1000, { 'orrery.run.kind': kind });
    meters.stateTransitions.add(1, { 'orrery.run.kind': kind, 'orrery.state.type': proposedType, status });
  }
}

/**
 * Wraps a job handler: each run is the span `job <name>` (a root span for a periodic tick), counted
 * in `orrery.job.runs` by outcome and timed in `orrery.job.duration`. The stalled counter of the
 * job starts at 0 so its series exists before the first stall.
 */
export function instrumentJob<A extends unknown[]>(
  job: string,
  kind: 'periodic' | 'item',
  handler: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  instruments().jobStalled.add(0, { 'orrery.job.name': job });
  return async (...args: A) => {
    const meters = instruments();
    const started = performance.now();
    let outcome = 'error';
    try {
      await inSpan(`job ${job}`, { 'orrery.job.name': job, 'orrery.job.kind': kind }, () => handler(...args));
      outcome = 'ok';
    } finally {
      meters.jobRuns.add(1, { 'orrery.job.name': job, 'orrery.job.kind': kind, outcome });
      meters.jobDuration.record((performance.now() - started) / 1000, {
        'orrery.job.name': job,
        'orrery.job.kind': kind,
      });
    }
  };
}
