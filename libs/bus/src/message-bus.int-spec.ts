/**
 * The bus contract (architecture decisions 6 and 7): one suite, run against both drivers, the Redis
 * one on a real Redis. Timing knobs are turned down so the whole file runs in seconds.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { TestRedis } from '@orrery/testing';
import { type BusMessage } from './bus-message';
import { BusBackpressureError } from './bus.errors';
import { type ConsumerTuning } from './bus-options';
import { type ConsumerHandle, type ConsumerSpec, type TopicDescription } from './consumer-spec';
import { InMemoryBus } from './memory/in-memory.bus';
import { type MessageBus } from './message-bus';
import { waitForTopicDrained } from './drain';
import { RedisStreamsBus } from './redis/redis-streams.bus';

jest.setTimeout(20_000);

type Driver = 'memory' | 'redis';

const FAST: Partial<ConsumerTuning> = {
  blockMs: 50,
  minIdleMs: 300,
  trimIntervalMs: 3_600_000,
  idleConsumerThresholdMs: 3_600_000,
  trimRetainMs: 0,
  backoffBaseMs: 20,
  backoffMaxMs: 200,
};

const FIXTURE = join(
  __dirname,
  '..',
  '..',
  '..',
  'dist',
  'libs',
  'bus',
  'test-fixtures',
  'kill-consumer.fixture.js',
);

/** Polls until `check` returns a value that is not undefined/false, or fails after the deadline. */
async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A promise the test resolves by hand: handlers wait on it to stay "in flight". */
function gate(): { wait: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

function groupOf(description: TopicDescription, group: string) {
  const found = description.groups.find((g) => g.name === group);
  if (found === undefined) {
    throw new Error(`group ${group} not found in ${JSON.stringify(description.groups.map((g) => g.name))}`);
  }
  return found;
}

describe.each<Driver>(['memory', 'redis'])('MessageBus contract (%s driver)', (driver) => {
  let redis: TestRedis;
  let bus: MessageBus;
  const extraBuses: MessageBus[] = [];

  const makeBus = (tuning: Partial<ConsumerTuning> = {}): MessageBus =>
    driver === 'redis'
      ? new RedisStreamsBus({
          redis: { url: redis.url },
          consumer: { ...FAST, ...tuning },
          dedupe: { keyPrefix: redis.key('dedupe:') },
        })
      : new InMemoryBus({ consumer: { ...FAST, ...tuning } });
  const newTopic = (): string => redis.key(`topic-${randomBytes(4).toString('hex')}`);
  const single = <T = unknown>(
    spec: Omit<ConsumerSpec<T>, 'kind' | 'handle'> & { handle: (m: BusMessage<T>) => Promise<void> | void },
  ): ConsumerSpec<T> => ({
    ...spec,
    kind: 'single',
  });

  beforeAll(() => {
    redis = TestRedis.open('bus');
  });
  afterAll(async () => {
    await redis.close();
  });
  beforeEach(() => {
    bus = makeBus();
  });
  afterEach(async () => {
    await bus.close();
    await Promise.all(extraBuses.splice(0).map((b) => b.close()));
  });

  it('fans every message out to every group, once each', async () => {
    const topic = newTopic();
    const seen: Record<string, number[]> = { a: [], b: [] };
    for (const group of ['a', 'b']) {
      bus.consume(single<{ n: number }>({ topic, group, handle: (m) => void seen[group]!.push(m.data.n) }));
    }
    await bus.publishMany(
      topic,
      Array.from({ length: 10 }, (_, n) => ({ data: { n } })),
    );
    await waitForTopicDrained(bus, topic, { groups: ['a', 'b'] });
    const description = await bus.describe(topic);
    expect(seen['a']!.sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(seen['b']!.sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(description.groups.map((g) => g.name).sort()).toEqual(['a', 'b']);
    expect(groupOf(description, 'a').lag).toBe(0);
    expect(groupOf(description, 'a').consumers).toHaveLength(1);
  });

  it('describes groups with their consumers, pending, lag and dead letters', async () => {
    const topic = newTopic();
    const lagging = bus.consume(
      single({ topic, group: 'lagging', consumerName: 'lagging-1', handle: () => undefined }),
    );
    await waitFor('registration', async () => (await bus.describe(topic)).groups.length === 1);
    await lagging.stop();
    bus.consume(
      single<{ bad?: boolean }>({
        topic,
        group: 'current',
        consumerName: 'current-1',
        validate: (data) => {
          if ((data as { bad?: boolean }).bad === true) {
            throw new Error('bad');
          }
          return data as { bad?: boolean };
        },
        handle: () => undefined,
      }),
    );
    await bus.publishMany(topic, [{ data: {} }, { data: { bad: true } }, { data: {} }]);
    await waitForTopicDrained(bus, topic, { groups: ['current'] });
    const description = await bus.describe(topic);
    expect(description).toMatchObject({ topic, exists: true, length: 3, deadLetters: 1 });
    expect(groupOf(description, 'lagging')).toMatchObject({ lag: 3, pending: 0, deadLetters: 0 });
    expect(groupOf(description, 'lagging').consumers).toEqual([
      { name: 'lagging-1', idleMs: expect.any(Number), pending: 0 },
    ]);
    expect(groupOf(description, 'current')).toMatchObject({ lag: 0, pending: 0, deadLetters: 1 });
    expect(await bus.describe(newTopic())).toMatchObject({ exists: false, length: 0, groups: [] });
  });

  it('shares the work of one group between its consumers, none twice', async () => {
    const topic = newTopic();
    const byConsumer: Record<string, number[]> = { one: [], two: [] };
    for (const name of ['one', 'two']) {
      bus.consume(
        single<{ n: number }>({
          topic,
          group: 'shared',
          consumerName: `shared-${name}`,
          handle: async (m) => {
            byConsumer[name]!.push(m.data.n);
            await new Promise((resolve) => setTimeout(resolve, 3)); // simulated work, lets the other consumer read
          },
        }),
      );
    }
    await waitFor(
      'both consumers registered',
      async () => (await bus.describe(topic)).groups[0]?.consumers.length === 2,
    );
    await bus.publishMany(
      topic,
      Array.from({ length: 40 }, (_, n) => ({ data: { n } })),
    );
    await waitFor('40 handled', () => byConsumer['one']!.length + byConsumer['two']!.length >= 40);
    const all = [...byConsumer['one']!, ...byConsumer['two']!].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 40 }, (_, n) => n));
    expect(byConsumer['one']!.length).toBeGreaterThan(0);
    expect(byConsumer['two']!.length).toBeGreaterThan(0);
  });

  if (driver === 'redis') {
    it('redelivers to another consumer after a consumer process is killed with SIGKILL mid-message', async () => {
      if (!existsSync(FIXTURE)) {
        throw new Error(`${FIXTURE} is missing: run \`npm run build\` first`);
      }
      const topic = newTopic();
      const child: ChildProcess = spawn(process.execPath, [FIXTURE, redis.url, topic, 'crashy'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.once('exit', (_code, signal) => resolve(signal)),
      );
      try {
        let output = '';
        child.stdout?.on('data', (chunk: Buffer) => {
          output += chunk.toString('utf8');
        });
        const id = await bus.publish(topic, { job: 'precious' });
        const held = await waitFor(
          'the child to hold the message',
          () => /HAVE (\S+)/.exec(output)?.[1],
          10_000,
        );
        expect(held).toBe(id);
        child.kill('SIGKILL');
        expect(await exited).toBe('SIGKILL');

        const received: BusMessage[] = [];
        bus.consume(single({ topic, group: 'crashy', handle: (m) => void received.push(m) }));
        const again = await waitFor('redelivery', () => received[0], 5000);
        expect(again.id).toBe(id);
        expect(again.data).toEqual({ job: 'precious' });
        expect(again.deliveryCount).toBeGreaterThanOrEqual(2);
        await waitFor('ack', async () => groupOf(await bus.describe(topic), 'crashy').pending === 0);
      } finally {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGKILL');
          await exited;
        }
      }
    });

    it('dead-letters an entry whose data is not JSON at once', async () => {
      const topic = newTopic();
      await redis.client.xadd(topic, '*', 'data', '{not json', 'attributes', '{}');
      const handled: BusMessage[] = [];
      bus.consume(single({ topic, group: 'g', handle: (m) => void handled.push(m) }));
      const [letter] = await waitFor('a dead letter', async () => {
        const letters = await bus.deadLetters(topic);
        return letters.length > 0 ? letters : undefined;
      });
      expect(letter!.deliveryCount).toBe(1);
      expect(letter!.reason).toMatch(/not JSON/);
      expect(letter!.data).toBe('{not json');
      expect(handled).toHaveLength(0);
    });
  }

  it('sends a message that fails validation to dead letters at once, never to the handler', async () => {
    const topic = newTopic();
    const handled: unknown[] = [];
    bus.consume(
      single<{ n: number }>({
        topic,
        group: 'strict',
        validate: (data) => {
          const n = (data as { n?: unknown }).n;
          if (typeof n !== 'number') {
            throw new Error('n must be a number');
          }
          return { n };
        },
        handle: (m) => void handled.push(m.data),
      }),
    );
    const badId = await bus.publish(
      topic,
      { n: 'seven' },
      { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    );
    await bus.publish(topic, { n: 7 });
    await waitFor('the valid one handled', () => handled.length === 1);
    const letters = await bus.deadLetters(topic);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ originalId: badId, group: 'strict', deliveryCount: 1 });
    expect(letters[0]!.reason).toMatch(/n must be a number/);
    expect(JSON.parse(letters[0]!.attributes ?? '{}')).toEqual({
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    expect(handled).toEqual([{ n: 7 }]);
    const group = groupOf(await bus.describe(topic), 'strict');
    expect(group.deadLetters).toBe(1);
    expect(group.pending).toBe(0);
  });

  it('dead-letters a message after its handler failed maxDeliveries times, counting deliveries in the broker', async () => {
    const topic = newTopic();
    const counts: number[] = [];
    bus.consume(
      single({
        topic,
        group: 'flaky',
        tuning: { maxDeliveries: 3, minIdleMs: 100 },
        handle: (m) => {
          counts.push(m.deliveryCount);
          throw new Error('boom');
        },
      }),
    );
    const id = await bus.publish(topic, { x: 1 });
    const [letter] = await waitFor('a dead letter', async () => {
      const letters = await bus.deadLetters(topic);
      return letters.length > 0 ? letters : undefined;
    });
    expect(counts).toEqual([1, 2, 3]);
    expect(letter).toMatchObject({ originalId: id, group: 'flaky', deliveryCount: 3 });
    expect(letter!.reason).toMatch(/boom/);
    expect(groupOf(await bus.describe(topic), 'flaky').pending).toBe(0);
  });

  it('keeps an entry whose handler is still working from being reclaimed by another consumer', async () => {
    const topic = newTopic();
    const release = gate();
    const deliveries: string[] = [];
    const slow = single({
      topic,
      group: 'patient',
      consumerName: 'patient-slow',
      tuning: { minIdleMs: 400 },
      handle: async (m) => {
        deliveries.push(`slow:${m.deliveryCount}`);
        await release.wait;
      },
    });
    bus.consume(slow);
    await bus.publish(topic, { long: true });
    await waitFor('the slow handler to start', () => deliveries.length === 1);
    bus.consume(
      single({
        ...slow,
        consumerName: 'patient-eager',
        handle: (m) => void deliveries.push(`eager:${m.deliveryCount}`),
      }),
    );
    // Observe for many times minIdleMs: without the heartbeat the eager consumer would reclaim it.
    try {
      const until = Date.now() + 1200;
      while (Date.now() < until) {
        expect(deliveries).toEqual(['slow:1']);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      release.open();
    }
    await waitForTopicDrained(bus, topic);
    expect(deliveries).toEqual(['slow:1']);
  });

  it('acknowledges only after the handler resolves, and not at all when it throws', async () => {
    const topic = newTopic();
    const release = gate();
    const started: string[] = [];
    const finished: string[] = [];
    bus.consume(
      single<{ kind: string }>({
        topic,
        group: 'careful',
        tuning: { minIdleMs: 60_000 },
        handle: async (m) => {
          started.push(m.data.kind);
          if (m.data.kind === 'slow') {
            await release.wait;
          }
          if (m.data.kind === 'fail') {
            throw new Error('not committed');
          }
          finished.push(m.data.kind);
        },
      }),
    );
    await bus.publish(topic, { kind: 'slow' });
    await waitFor('the slow handler to start', () => started.includes('slow'));
    expect(groupOf(await bus.describe(topic), 'careful').pending).toBe(1);
    release.open();
    await waitFor(
      'ack after resolve',
      async () => groupOf(await bus.describe(topic), 'careful').pending === 0,
    );

    await bus.publishMany(topic, [{ data: { kind: 'fail' } }, { data: { kind: 'ok' } }]);
    await waitFor('both handled', () => finished.includes('ok') && started.includes('fail'));
    const group = await waitFor('the ok one acked', async () => {
      const g = groupOf(await bus.describe(topic), 'careful');
      return g.pending === 1 ? g : undefined;
    });
    expect(group.pending).toBe(1);
    expect(await bus.deadLetters(topic)).toHaveLength(0);
  });

  it('never trims a pending entry, though it trims what every group is done with', async () => {
    const topic = newTopic();
    const handled: number[] = [];
    const first = bus.consume(
      single<{ n: number }>({
        topic,
        group: 'keeper',
        tuning: { minIdleMs: 60_000 },
        handle: (m) => {
          if (m.data.n === 5) {
            throw new Error('left pending');
          }
          handled.push(m.data.n);
        },
      }),
    );
    await bus.publishMany(
      topic,
      Array.from({ length: 20 }, (_, n) => ({ data: { n } })),
    );
    await waitFor('19 handled', () => handled.length === 19);
    await waitFor('19 acked', async () => groupOf(await bus.describe(topic), 'keeper').pending === 1);

    const result = await bus.maintain(topic, { trimRetainMs: 0 });
    expect(result.trimmed).toBe(5); // entries 0..4: delivered and acknowledged
    expect((await bus.describe(topic)).length).toBe(15);
    await first.stop();

    const reclaimed: BusMessage<{ n: number }>[] = [];
    bus.consume(
      single<{ n: number }>({
        topic,
        group: 'keeper',
        tuning: { minIdleMs: 1 },
        handle: (m) => void reclaimed.push(m),
      }),
    );
    const message = await waitFor('the pending entry reclaimed', () => reclaimed[0]);
    expect(message.data).toEqual({ n: 5 });
    expect(message.deliveryCount).toBe(2);
  });

  it('does not let a group whose consumers are all idle, with nothing pending, hold back trimming', async () => {
    const topic = newTopic();
    const stale = bus.consume(
      single({ topic, group: 'stale', consumerName: 'stale-1', handle: () => undefined }),
    );
    await waitFor('registration', async () => (await bus.describe(topic)).groups.length === 1);
    await stale.stop();
    bus.consume(single({ topic, group: 'live', consumerName: 'live-1', handle: () => undefined }));
    await bus.publishMany(
      topic,
      Array.from({ length: 10 }, (_, n) => ({ data: { n } })),
    );
    await waitForTopicDrained(bus, topic, { groups: ['live'] });

    // Not idle long enough yet: the stale group (nothing delivered) pins the whole stream.
    expect(await bus.maintain(topic, { trimRetainMs: 0, idleConsumerThresholdMs: 3_600_000 })).toMatchObject({
      trimmed: 0,
    });
    const result = await waitFor('the stale group to be ignored', async () => {
      const r = await bus.maintain(topic, {
        trimRetainMs: 0,
        idleConsumerThresholdMs: 100,
        keepConsumers: ['live-1'],
      });
      return r.trimmed > 0 ? r : undefined;
    });
    expect(result.removedConsumers).toEqual(['stale-1']);
    expect(result.trimmed).toBe(9); // MINID = live's last-delivered id, which itself stays
    expect((await bus.describe(topic)).length).toBe(1);
  });

  it('removes consumers that are idle with nothing pending, and keeps live ones', async () => {
    const topic = newTopic();
    const gone = bus.consume(single({ topic, group: 'g', consumerName: 'g-gone', handle: () => undefined }));
    await waitFor('registration', async () =>
      (await bus.describe(topic)).groups[0]?.consumers.some((c) => c.name === 'g-gone'),
    );
    await gone.stop();
    bus.consume(
      single({
        topic,
        group: 'g',
        consumerName: 'g-live',
        tuning: { idleConsumerThresholdMs: 200, trimIntervalMs: 50 },
        handle: () => undefined,
      }),
    );
    const names = await waitFor('the idle consumer removed', async () => {
      const consumers = groupOf(await bus.describe(topic), 'g').consumers.map((c) => c.name);
      return consumers.includes('g-gone') ? undefined : consumers;
    });
    expect(names).toEqual(['g-live']);
  });

  it('tails only messages published after it started, and leaves no group behind', async () => {
    const topic = newTopic();
    await bus.publish(topic, { n: 0 });
    const seen: unknown[] = [];
    const tail = await bus.tail(topic, (m) => void seen.push(m.data));
    expect(tail.isRunning()).toBe(true);
    await bus.publishMany(topic, [{ data: { n: 1 } }, { data: { n: 2 } }]);
    await waitFor('two tailed', () => seen.length >= 2);
    await tail.stop();
    expect(tail.isRunning()).toBe(false);
    expect(seen).toEqual([{ n: 1 }, { n: 2 }]);
    expect((await bus.describe(topic)).groups).toEqual([]);
  });

  it('drops a duplicate by the de-dup attribute, and forgets nothing it did not publish', async () => {
    const topic = newTopic();
    const first = await bus.publishMany(
      topic,
      [
        { data: { v: 1 }, attributes: { id: 'a' } },
        { data: { v: 2 }, attributes: { id: 'a' } },
        { data: { v: 3 }, attributes: { id: 'b' } },
        { data: { v: 4 } },
      ],
      { dedupeBy: 'id' },
    );
    expect(first[0]).toEqual(expect.any(String));
    expect(first[1]).toBeNull();
    expect(first[2]).toEqual(expect.any(String));
    expect(first[3]).toEqual(expect.any(String));
    expect(await bus.publish(topic, { v: 5 }, { id: 'b' }, { dedupeBy: 'id' })).toBeNull();
    expect(await bus.publish(topic, { v: 6 }, { id: 'b' })).toEqual(expect.any(String)); // no dedupeBy: always sent
    expect((await bus.describe(topic)).length).toBe(4);
  });

  it('isolates a poison message in a failing batch so its neighbours are acknowledged', async () => {
    const topic = newTopic();
    await bus.publishMany(
      topic,
      Array.from({ length: 5 }, (_, n) => ({ data: { n, poison: n === 2 } })),
    );
    const batches: number[][] = [];
    const committed: number[] = [];
    bus.consume<{ n: number; poison: boolean }>({
      topic,
      group: 'writer',
      kind: 'batch',
      tuning: { readBatchSize: 10, maxDeliveries: 2, minIdleMs: 100 },
      handle: (messages) => {
        batches.push(messages.map((m) => m.data.n));
        if (messages.some((m) => m.data.poison)) {
          throw new Error('constraint violation');
        }
        committed.push(...messages.map((m) => m.data.n));
      },
    });
    const [letter] = await waitFor('the poison dead-lettered', async () => {
      const letters = await bus.deadLetters(topic);
      return letters.length > 0 ? letters : undefined;
    });
    expect(batches[0]).toEqual([0, 1, 2, 3, 4]);
    expect(committed.sort()).toEqual([0, 1, 3, 4]);
    expect(JSON.parse(letter!.data ?? 'null')).toEqual({ n: 2, poison: true });
    expect(letter!.deliveryCount).toBe(2);
    expect(await bus.deadLetters(topic)).toHaveLength(1);
    await waitFor('nothing pending', async () => groupOf(await bus.describe(topic), 'writer').pending === 0);
  });

  it('accumulates a batch up to maxBatchSize across reads before handling it', async () => {
    const topic = newTopic();
    const batches: number[][] = [];
    bus.consume<{ n: number }>({
      topic,
      group: 'accumulator',
      kind: 'batch',
      tuning: { readBatchSize: 1 },
      batch: { maxBatchSize: 4, maxWaitMs: 3000 },
      handle: (messages) => void batches.push(messages.map((m) => m.data.n)),
    });
    await bus.publishMany(
      topic,
      Array.from({ length: 4 }, (_, n) => ({ data: { n } })),
    );
    await waitFor('one batch', () => batches.length > 0);
    expect(batches).toEqual([[0, 1, 2, 3]]);
  });

  it('runs `concurrency` handlers of one consumer in parallel', async () => {
    const topic = newTopic();
    let inFlight = 0;
    let peak = 0;
    const bothIn = gate();
    const done: number[] = [];
    bus.consume(
      single<{ n: number }>({
        topic,
        group: 'parallel',
        concurrency: 2,
        handle: async (m) => {
          inFlight += 1;
          peak = Math.max(peak, inFlight);
          if (inFlight === 2) {
            bothIn.open();
          }
          await bothIn.wait; // each waits for the other: only parallel loops get past this
          inFlight -= 1;
          done.push(m.data.n);
        },
      }),
    );
    await bus.publishMany(topic, [{ data: { n: 1 } }, { data: { n: 2 } }]);
    try {
      await waitFor('both handled', () => done.length === 2);
    } finally {
      bothIn.open(); // lets a serial consumer finish too, so a failure here cannot hang the suite
    }
    expect(peak).toBe(2);
    await waitForTopicDrained(bus, topic);
  });

  it('stops a consumer after finishing its in-flight handler and acknowledging it', async () => {
    const topic = newTopic();
    const release = gate();
    let started = false;
    let done = false;
    const consumer: ConsumerHandle = bus.consume(
      single({
        topic,
        group: 'graceful',
        handle: async () => {
          started = true;
          await release.wait;
          done = true;
        },
      }),
    );
    await bus.publish(topic, {});
    await waitFor('handler started', () => started);
    const stopping = consumer.stop();
    expect(consumer.isRunning()).toBe(false);
    release.open();
    await stopping;
    expect(done).toBe(true);
    expect(groupOf(await bus.describe(topic), 'graceful').pending).toBe(0);
  });

  if (driver === 'redis') {
    it('keeps consuming after its Redis connections are killed', async () => {
      const name = `orrery-bus-test-${randomBytes(4).toString('hex')}`;
      const own = new RedisStreamsBus({ redis: { url: redis.url, connectionName: name }, consumer: FAST });
      extraBuses.push(own);
      const topic = newTopic();
      const seen: number[] = [];
      const consumer = own.consume(
        single<{ n: number }>({ topic, group: 'survivor', handle: (m) => void seen.push(m.data.n) }),
      );
      await own.publish(topic, { n: 1 });
      await waitFor('first message', () => seen.length === 1);
      const clients = (await redis.client.call('CLIENT', 'LIST')) as string;
      const ids = clients
        .split('\n')
        .filter((line) => line.includes(` name=${name} `))
        .map((line) => /(?:^|\s)id=(\d+)/.exec(line)?.[1])
        .filter((id): id is string => id !== undefined);
      expect(ids.length).toBeGreaterThanOrEqual(2); // the command connection and the blocking reader
      for (const id of ids) {
        await redis.client.call('CLIENT', 'KILL', 'ID', id);
      }
      await own.publish(topic, { n: 2 });
      await waitFor('a message after the kill', () => seen.includes(2), 10_000);
      expect(consumer.isRunning()).toBe(true);
    });

    it('recovers when its stream is deleted under it, and reports the error in health()', async () => {
      const topic = newTopic();
      const seen: number[] = [];
      const consumer = bus.consume(
        single<{ n: number }>({ topic, group: 'phoenix', handle: (m) => void seen.push(m.data.n) }),
      );
      await bus.publish(topic, { n: 1 });
      await waitFor('first message', () => seen.length === 1);
      await redis.client.del(topic);
      // A blocked read is woken with UNBLOCKED; a read issued after the delete fails with NOGROUP.
      await waitFor('the error to be seen', () =>
        /UNBLOCKED|NOGROUP/.test(consumer.health().lastError ?? ''),
      );
      await bus.publish(topic, { n: 2 });
      await waitFor('a message after the group was recreated', () => seen.includes(2));
      expect(consumer.isRunning()).toBe(true);
      // The error count resets when a loop iteration completes, which may be just after the handler ran.
      await waitFor('the error count to reset', () => consumer.health().consecutiveErrors === 0);
    });

    it('forgets de-dup claims when the publish fails, so a retry goes through', async () => {
      const wrongType = redis.key('not-a-stream');
      await redis.client.set(wrongType, 'x');
      await expect(bus.publish(wrongType, { v: 1 }, { id: 'retry-me' }, { dedupeBy: 'id' })).rejects.toThrow(
        /WRONGTYPE/,
      );
      expect(await redis.client.exists(redis.key('dedupe:retry-me'))).toBe(0);
      expect(await bus.publish(newTopic(), { v: 1 }, { id: 'retry-me' }, { dedupeBy: 'id' })).toEqual(
        expect.any(String),
      );
      expect(await redis.client.ttl(redis.key('dedupe:retry-me'))).toBeGreaterThan(200);
    });

    it('caps a stream at about maxLen when asked, de-duplicating in the same round trip', async () => {
      const topic = newTopic();
      for (let batch = 0; batch < 10; batch += 1) {
        const ids = await bus.publishMany(
          topic,
          Array.from({ length: 100 }, (_, i) => ({
            data: { i },
            attributes: { id: `cap-${batch}-${i % 50}` },
          })),
          { dedupeBy: 'id', maxLen: 100 },
        );
        // Half of each batch repeats an id earlier in the batch: dropped, with a null result.
        expect(ids.filter((id) => id === null)).toHaveLength(50);
      }
      const length = await redis.client.xlen(topic);
      expect(length).toBeGreaterThanOrEqual(100);
      expect(length).toBeLessThan(500);
    });
  }

  if (driver === 'memory') {
    it('applies backpressure when a topic is full instead of dropping, and forgets the de-dup claim', async () => {
      const small = new InMemoryBus({
        consumer: FAST,
        memory: { maxStreamLength: 2, publishTimeoutMs: 100 },
      });
      extraBuses.push(small);
      const topic = newTopic();
      const release = gate();
      const handled: unknown[] = [];
      small.consume(
        single({
          topic,
          group: 'slow',
          handle: async (m) => void handled.push(await release.wait.then(() => m.data)),
        }),
      );
      await small.publishMany(topic, [{ data: 1 }, { data: 2 }]);
      await expect(small.publish(topic, 3, { id: 'x' }, { dedupeBy: 'id' })).rejects.toBeInstanceOf(
        BusBackpressureError,
      );
      release.open();
      await waitFor('two handled', () => handled.length === 2);
      expect(await small.publish(topic, 3, { id: 'x' }, { dedupeBy: 'id' })).toEqual(expect.any(String));
      await waitFor('three handled', () => handled.length === 3);
      expect(handled).toEqual([1, 2, 3]);
    });
  }
});
