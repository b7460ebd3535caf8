import { context, type Link, propagation, type Span, SpanKind, trace } from '@opentelemetry/api';
import { instruments } from './instruments';
import { endWithOutcome } from './spans';

/*
 * Trace context across the bus (architecture decision 11): publishers write W3C `traceparent`
 * (and `tracestate`) into message attributes; consumers run each handler call in a CONSUMER span
 * that continues the producer's trace (one message) or links every producer (a batch). The shapes
 * are structural so this util lib does not depend on @orrery/bus; they match its
 * BusContextPropagator and BusHandlerInterceptor.
 */

const tracer = trace.getTracer('orrery-bus');

/**
 * The attributes a publish of `count` messages to `topic` carries: inside a trace, the context of
 * a PRODUCER span `publish <topic>` (so the consumer's span hangs under the publish); outside one,
 * nothing. Also counts `orrery.bus.published`.
 */
export function injectTraceContext(topic = '', count = 1): Record<string, string> {
  instruments().busPublished.add(count, { topic });
  const carrier: Record<string, string> = {};
  const active = context.active();
  if (trace.getSpan(active) === undefined) return carrier;
  const span = tracer.startSpan(
    `publish ${topic}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'redis',
        'messaging.operation.type': 'send',
        'messaging.destination.name': topic,
        'messaging.batch.message_count': count,
      },
    },
    active,
  );
  propagation.inject(trace.setSpan(active, span), carrier);
  span.end();
  return carrier;
}

export const busTracePropagator = { inject: injectTraceContext };

export interface TracedHandlerCall {
  readonly topic: string;
  readonly group: string;
  readonly consumerName: string;
  readonly messages: readonly {
    readonly id: string;
    readonly deliveryCount: number;
    readonly attributes: Readonly<Record<string, string>>;
  }[];
}

/**
 * Runs a handler call inside a consumer span tied to the producers' traces, and counts it
 * (`orrery.bus.handled` by outcome, `orrery.bus.redelivered`, `orrery.bus.handler.duration`).
 */
export async function busTracingInterceptor(
  call: TracedHandlerCall,
  next: () => Promise<void>,
): Promise<void> {
  const started = performance.now();
  const labels = { topic: call.topic, group: call.group };
  const meters = instruments();
  let redelivered = 0;
  for (const m of call.messages) if (m.deliveryCount > 1) redelivered++;
  if (redelivered > 0) meters.busRedelivered.add(redelivered, labels);
  let outcome = 'error';
  try {
    await consumeInSpan(call, next);
    outcome = 'ok';
  } finally {
    meters.busHandled.add(call.messages.length, { ...labels, outcome });
    meters.busHandlerDuration.record((performance.now() - started) / 1000, labels);
  }
}

async function consumeInSpan(call: TracedHandlerCall, next: () => Promise<void>): Promise<void> {
  const producers = call.messages.map((m) => propagation.extract(context.active(), m.attributes));
  const traced = producers.map((ctx) => trace.getSpanContext(ctx)).filter((sc) => sc !== undefined);
  // One producer trace (one message, or a batch one publish sent): continue it. Several: link them.
  const oneTrace =
    traced.length === call.messages.length && traced.every((sc) => sc.traceId === traced[0]!.traceId);
  const single = oneTrace ? producers[0] : undefined;
  const links: Link[] = call.messages.length > 1 ? traced.map((sc) => ({ context: sc })) : [];
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
  await endWithOutcome(span, () => context.with(trace.setSpan(parent, span), next));
}
