import {
  context,
  type Link,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';

/*
 * Trace context across the bus (architecture decision 11): publishers write W3C `traceparent`
 * (and `tracestate`) into message attributes; consumers run each handler call in a CONSUMER span
 * that continues the producer's trace (one message) or links every producer (a batch). The shapes
 * are structural so this util lib does not depend on @orrery/bus; they match its
 * BusContextPropagator and BusHandlerInterceptor.
 */

const tracer = trace.getTracer('orrery-bus');

/** The attributes a publish carries: the active trace context, if any. */
export function injectTraceContext(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

export const busTracePropagator = { inject: injectTraceContext };

export interface TracedHandlerCall {
  readonly topic: string;
  readonly group: string;
  readonly consumerName: string;
  readonly messages: readonly {
    readonly id: string;
    readonly attributes: Readonly<Record<string, string>>;
  }[];
}

/** Runs a handler call inside a consumer span tied to the producers' traces. */
export async function busTracingInterceptor(
  call: TracedHandlerCall,
  next: () => Promise<void>,
): Promise<void> {
  const producers = call.messages.map((m) => propagation.extract(context.active(), m.attributes));
  const single = call.messages.length === 1 ? producers[0] : undefined;
  const links: Link[] =
    single === undefined
      ? producers
          .map((ctx) => trace.getSpanContext(ctx))
          .filter((sc) => sc !== undefined)
          .map((sc) => ({ context: sc }))
      : [];
  const parent = single ?? context.active();
  const span: Span = tracer.startSpan(
    `process ${call.topic}`,
    {
      kind: SpanKind.CONSUMER,
      links,
      attributes: {
        'messaging.destination.name': call.topic,
        'messaging.consumer.group.name': call.group,
        'messaging.client.id': call.consumerName,
        'messaging.batch.message_count': call.messages.length,
        ...(call.messages.length === 1 ? { 'messaging.message.id': call.messages[0]!.id } : {}),
      },
    },
    parent,
  );
  try {
    await context.with(trace.setSpan(parent, span), next);
    span.setStatus({ code: SpanStatusCode.OK });
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
