import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createMessageBus } from '@orrery/bus';
import { loadSettings } from '@orrery/config';
import { waitFor } from '@orrery/testing';
import { busOptionsFrom } from './infrastructure-options';

// The bus every process builds from its settings carries trace context from publisher to consumer.
describe('trace context across the bus', () => {
  const exporter = new InMemorySpanExporter();
  beforeAll(() => {
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    trace.setGlobalTracerProvider(provider);
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterAll(() => {
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it("continues the publisher's trace in the consumer's span", async () => {
    const bus = createMessageBus(busOptionsFrom(loadSettings({ PREFECT_HOME: '/tmp' })));
    const seenTraceIds: string[] = [];
    const handle = bus.consume({
      kind: 'single',
      topic: 'traced',
      group: 'g',
      handle: () => {
        seenTraceIds.push(trace.getActiveSpan()?.spanContext().traceId ?? 'none');
      },
    });
    const producer = trace.getTracer('test').startSpan('produce');
    await context.with(trace.setSpan(context.active(), producer), () => bus.publish('traced', { n: 1 }));
    producer.end();
    await waitFor(() => seenTraceIds.length === 1, { what: 'the handled message' });
    await handle.stop();
    await bus.close();

    const producerTrace = producer.spanContext().traceId;
    expect(seenTraceIds).toEqual([producerTrace]);
    const consumerSpan = exporter.getFinishedSpans().find((s) => s.name === 'process traced');
    expect(consumerSpan?.spanContext().traceId).toBe(producerTrace);
    expect(consumerSpan?.attributes['messaging.consumer.group.name']).toBe('g');
    // The publish is a PRODUCER span of the publisher's trace, and the consumer hangs under it.
    const publishSpan = exporter.getFinishedSpans().find((s) => s.name === 'publish traced');
    expect(publishSpan?.spanContext().traceId).toBe(producerTrace);
    expect(consumerSpan?.parentSpanContext?.spanId).toBe(publishSpan?.spanContext().spanId);
  });

  it('continues one trace through a batch that one publish sent', async () => {
    exporter.reset();
    const bus = createMessageBus(busOptionsFrom(loadSettings({ PREFECT_HOME: '/tmp' })));
    const batches: number[] = [];
    const handle = bus.consume({
      kind: 'batch',
      topic: 'traced-batch',
      group: 'g',
      tuning: { readBatchSize: 10 },
      batch: { maxBatchSize: 10, maxWaitMs: 200 },
      handle: (messages) => {
        batches.push(messages.length);
      },
    });
    const producer = trace.getTracer('test').startSpan('produce');
    await context.with(trace.setSpan(context.active(), producer), () =>
      bus.publishMany('traced-batch', [{ data: 1 }, { data: 2 }, { data: 3 }]),
    );
    producer.end();
    await waitFor(() => batches.reduce((a, b) => a + b, 0) === 3, { what: 'the handled batch' });
    await handle.stop();
    await bus.close();
    const consumerSpans = exporter.getFinishedSpans().filter((s) => s.name === 'process traced-batch');
    expect(consumerSpans.length).toBeGreaterThan(0);
    for (const span of consumerSpans) expect(span.spanContext().traceId).toBe(producer.spanContext().traceId);
  });
});
