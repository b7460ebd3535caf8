import { resolveTuning } from './bus-options';
import { type BusMessage } from './bus-message';
import { type ConsumerSpec, type MaintenanceResult } from './consumer-spec';
import { StreamConsumerRunner } from './stream-consumer.runner';
import { type RawDelivery, type StreamTransport } from './stream-transport';

/** Hands out scripted fetch results once, then idles; records what the engine decided. */
class ScriptedTransport implements StreamTransport {
  readonly consumerName = 'g-test';
  readonly acked: string[] = [];
  readonly deadLettered: { id: string; reason: string; count: number }[] = [];
  private wake: (() => void) | null = null;

  constructor(private readonly script: RawDelivery[][]) {}

  ensureGroup(): Promise<void> {
    return Promise.resolve();
  }
  async fetch(): Promise<RawDelivery[]> {
    const next = this.script.shift();
    if (next !== undefined) {
      return next;
    }
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      setTimeout(resolve, 20);
    });
    return [];
  }
  ack(ids: readonly string[]): Promise<void> {
    this.acked.push(...ids);
    return Promise.resolve();
  }
  deadLetter(delivery: RawDelivery, reason: string): Promise<void> {
    this.deadLettered.push({ id: delivery.id, reason, count: delivery.deliveryCount });
    return Promise.resolve();
  }
  heartbeat(): Promise<void> {
    return Promise.resolve();
  }
  maintain(): Promise<MaintenanceResult> {
    return Promise.resolve({ trimmed: 0, removedConsumers: [], minId: null });
  }
  reset(): Promise<void> {
    return Promise.resolve();
  }
  interrupt(): void {
    this.wake?.();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const raw = (id: string, data: unknown, deliveryCount = 1): RawDelivery => ({
  id,
  data: typeof data === 'string' ? data : JSON.stringify(data),
  attributes: '{}',
  deliveryCount,
});

/** A batch consumer of numbers on topic t, group g. */
function batchSpec(handle: (messages: BusMessage<number>[]) => Promise<void> | void): ConsumerSpec<number> {
  return { topic: 't', group: 'g', kind: 'batch', handle };
}

async function runUntil(runner: StreamConsumerRunner<unknown>, done: () => boolean): Promise<void> {
  runner.start();
  try {
    const deadline = Date.now() + 2000;
    while (!done()) {
      if (Date.now() > deadline) {
        throw new Error('runner did not finish its script');
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    await runner.stop();
  }
}

describe('StreamConsumerRunner', () => {
  const tuning = resolveTuning({ maxDeliveries: 3, blockMs: 10 });

  it('acks successes only, dead-letters invalid and exhausted messages, leaves failures pending', async () => {
    const transport = new ScriptedTransport([
      [
        raw('1-0', { ok: true }),
        raw('2-0', '{oops'),
        raw('3-0', { ok: false }, 2),
        raw('4-0', { ok: false }, 3),
        raw('5-0', { ok: true }, 4),
      ],
    ]);
    const handled: string[] = [];
    const spec: ConsumerSpec<{ ok: boolean }> = {
      topic: 't',
      group: 'g',
      kind: 'single',
      handle: (m: BusMessage<{ ok: boolean }>) => {
        handled.push(m.id);
        if (!m.data.ok) {
          throw new Error('nope');
        }
      },
    };
    const runner = new StreamConsumerRunner(spec, tuning, [transport]);
    await runUntil(
      runner as StreamConsumerRunner<unknown>,
      () => transport.acked.length + transport.deadLettered.length >= 4,
    );
    expect(handled).toEqual(['1-0', '3-0', '4-0']); // 5-0 exceeded maxDeliveries before reaching the handler
    expect(transport.acked).toEqual(['1-0']);
    expect(transport.deadLettered.map((d) => [d.id, d.count])).toEqual([
      ['2-0', 1],
      ['5-0', 4],
      ['4-0', 3],
    ]);
    expect(transport.deadLettered[0]!.reason).toMatch(/invalid message: data is not JSON/);
    expect(runner.health()).toMatchObject({ handled: 1, deadLettered: 3, running: false });
  });

  it('retries a failed batch one by one so only the poison stays behind', async () => {
    const transport = new ScriptedTransport([[raw('1-0', 1), raw('2-0', 2), raw('3-0', 3)]]);
    const calls: number[][] = [];
    const spec = batchSpec((messages) => {
      calls.push(messages.map((m) => m.data));
      if (messages.some((m) => m.data === 2)) {
        throw new Error('poison');
      }
    });
    const runner = new StreamConsumerRunner(spec, tuning, [transport]);
    await runUntil(runner as StreamConsumerRunner<unknown>, () => transport.acked.length >= 2);
    expect(calls).toEqual([[1, 2, 3], [1], [2], [3]]);
    expect(transport.acked).toEqual(['1-0', '3-0']);
    expect(transport.deadLettered).toEqual([]);
  });

  it('retries a batch in place while a dependency is down, never counting it as a failed delivery', async () => {
    // Last allowed delivery: one ordinary failure would dead-letter it.
    const transport = new ScriptedTransport([[raw('1-0', 1, 3), raw('2-0', 2, 3)]]);
    const calls: number[][] = [];
    const outage = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const spec = batchSpec((messages) => {
      calls.push(messages.map((m) => m.data));
      if (calls.length <= 2) throw outage;
    });
    const isTransient = (error: unknown): boolean => error === outage;
    const runner = new StreamConsumerRunner(spec, tuning, [transport], undefined, undefined, isTransient);
    await runUntil(runner as StreamConsumerRunner<unknown>, () => transport.acked.length >= 2);
    // The whole batch again each time (no one-by-one split), then acknowledged.
    expect(calls).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
    expect(transport.acked).toEqual(['1-0', '2-0']);
    expect(transport.deadLettered).toEqual([]);
  });

  it('leaves a batch that fails because the consumer stops pending: no ack, no split, no dead letter', async () => {
    // The last allowed delivery: a failure outside a stop would send it to dead letters.
    const transport = new ScriptedTransport([[raw('1-0', 1, 4), raw('2-0', 2, 4)]]);
    const calls: number[][] = [];
    let entered: () => void = () => undefined;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    let abort: (error: Error) => void = () => undefined;
    const runner = new StreamConsumerRunner(
      batchSpec((messages) => {
        calls.push(messages.map((m) => m.data));
        if (calls.length > 1) return Promise.reject(new Error('the service is stopping'));
        entered();
        return new Promise<void>((_resolve, reject) => (abort = reject));
      }),
      resolveTuning({ blockMs: 10, maxDeliveries: 4 }),
      [transport],
    );
    runner.start();
    await inHandler;
    const stopped = runner.stop();
    abort(new Error('the service is stopping')); // as a handler waiting on something ends its wait
    await stopped;
    expect(calls).toEqual([[1, 2]]);
    expect(transport.acked).toEqual([]);
    expect(transport.deadLettered).toEqual([]);
  });

  it('keeps looping after transport errors and reports them in health()', async () => {
    const transport = new ScriptedTransport([[raw('1-0', 1)]]);
    let failures = 2;
    const original = transport.fetch.bind(transport);
    transport.fetch = () => (failures-- > 0 ? Promise.reject(new Error('connection lost')) : original());
    const runner = new StreamConsumerRunner(
      { topic: 't', group: 'g', kind: 'single', handle: () => undefined },
      resolveTuning({ blockMs: 10, backoffBaseMs: 1, backoffMaxMs: 5 }),
      [transport],
    );
    runner.start();
    const deadline = Date.now() + 2000;
    while (transport.acked.length === 0) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(runner.isRunning()).toBe(true);
    expect(runner.health()).toMatchObject({ lastError: 'connection lost', consecutiveErrors: 0 });
    await runner.stop();
    expect(runner.isRunning()).toBe(false);
  });

  it('runs every handler call through the interceptor, whose outcome decides the ack', async () => {
    const transport = new ScriptedTransport([[raw('1-0', { v: 'a' }), raw('2-0', { v: 'b' })]]);
    const seen: string[] = [];
    const runner = new StreamConsumerRunner(
      { topic: 't', group: 'g', kind: 'single', handle: () => undefined },
      tuning,
      [transport],
      undefined,
      async (context, next) => {
        seen.push(
          `${context.topic}/${context.group}:${context.messages.map((m) => (m.data as { v: string }).v).join(',')}`,
        );
        await next();
        if ((context.messages[0]!.data as { v: string }).v === 'b') {
          throw new Error('span says no');
        }
      },
    );
    await runUntil(
      runner as StreamConsumerRunner<unknown>,
      () => seen.length >= 2 && transport.acked.length >= 1,
    );
    expect(seen).toEqual(['t/g:a', 't/g:b']);
    expect(transport.acked).toEqual(['1-0']);
  });
});
