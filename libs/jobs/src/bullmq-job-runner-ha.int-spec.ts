// Redis-driver behaviour the single-runner contract cannot show: several runners (as replicas) on one
// namespace, an interval changed by a redeploy, and a Redis outage healed without a restart.
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { BullMqJobRunner } from './bullmq-job-runner';
import { waitFor } from './job-runner.contract';

const redisUrl = process.env.ORRERY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A TCP hop to Redis that the test can cut and restore, to stand in for a failover. */
class RedisOutageProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  async open(): Promise<void> {
    const target = new URL(redisUrl);
    this.server = createServer((client) => {
      const upstream = connect(Number(target.port || 6379), target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    const address = server.address();
    if (address !== null && typeof address === 'object') this.port = address.port;
  }

  async cut(): Promise<void> {
    const server = this.server;
    for (const socket of this.sockets) socket.destroy();
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get url(): string {
    const target = new URL(redisUrl);
    return `redis://127.0.0.1:${this.port}${target.pathname}`;
  }
}

describe('BullMqJobRunner as replicas', () => {
  const prefix = `orrery-test-${Math.random().toString(36).slice(2, 10)}`;
  let runners: BullMqJobRunner[] = [];
  const make = (url = redisUrl): BullMqJobRunner => {
    const runner = new BullMqJobRunner({ redisUrl: url, prefix, supervisionIntervalMs: 200 });
    runners.push(runner);
    return runner;
  };

  afterEach(async () => {
    await Promise.all(runners.map((runner) => runner.stop(2000)));
    runners = [];
    const redis = new Redis(redisUrl);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
  });

  it('never overlaps ticks across replicas, even when ticks overrun the interval', async () => {
    let running = 0;
    let peak = 0;
    const slots: number[] = [];
    const tick = async ({ scheduledAt }: { scheduledAt: { epochMillis: number } }): Promise<void> => {
      slots.push(scheduledAt.epochMillis);
      running += 1;
      peak = Math.max(peak, running);
      await pause(slots.length % 2 === 0 ? 450 : 50); // every other tick overruns 300 ms
      running -= 1;
    };
    for (let i = 0; i < 3; i++) make().registerPeriodic('overrun', { everySeconds: 0.3, handler: tick });
    await Promise.all(runners.map((runner) => runner.start()));
    await waitFor('eight ticks', () => slots.length >= 8, 10_000);
    expect(peak).toBe(1);
    expect(new Set(slots).size).toBe(slots.length);
    expect((await runners[0]?.describePeriodic('overrun'))?.workers).toHaveLength(1); // one pid, one name
  }, 20_000);

  it('takes a changed interval on redeploy', async () => {
    const before = make();
    before.registerPeriodic('resized', { everySeconds: 60, handler: () => Promise.resolve() });
    await before.start();
    expect((await before.describePeriodic('resized')).everySeconds).toBe(60);
    await before.stop();

    let ticks = 0;
    const after = make();
    after.registerPeriodic('resized', {
      everySeconds: 0.2,
      handler: () => {
        ticks += 1;
        return Promise.resolve();
      },
    });
    await after.start();
    expect((await after.describePeriodic('resized')).everySeconds).toBe(0.2);
    await waitFor('three ticks at the new interval', () => ticks >= 3, 3000);
  }, 10_000);

  it('runOnStart ticks at once even when the schedule already exists and its next slot is far away', async () => {
    const first = make();
    let firstTicks = 0;
    first.registerPeriodic('hourly', {
      everySeconds: 3600,
      handler: () => {
        firstTicks += 1;
        return Promise.resolve();
      },
    });
    await first.start();
    await waitFor('the new schedule to tick once', () => firstTicks === 1, 3000); // BullMQ: first tick at once
    await first.stop();

    const restarted = make();
    let ticks = 0;
    restarted.registerPeriodic('hourly', {
      everySeconds: 3600,
      runOnStart: true,
      handler: () => {
        ticks += 1;
        return Promise.resolve();
      },
    });
    await restarted.start();
    await waitFor('the run-on-start tick', () => ticks === 1, 3000);
    const status = await restarted.describePeriodic('hourly');
    expect((status.nextRunAt?.epochMillis ?? 0) - Date.now()).toBeGreaterThan(3_000_000);
  }, 10_000);

  it('re-creates a worker whose loop stopped, and reports unhealthy until then', async () => {
    const runner = make();
    const ran: number[] = [];
    runner.registerHandler('supervised', (payload) => {
      ran.push(Number(payload.n));
      return Promise.resolve();
    });
    await runner.start();
    // Stand-in for the silent worker death of pydocket #22436: stop the worker behind the runner's back.
    const internals = runner as unknown as { workers: Array<{ worker: { close(): Promise<void> } }> };
    const original = internals.workers[0]?.worker;
    await original?.close();
    expect(runner.isHealthy()).toBe(false);
    await waitFor('the supervisor to re-create the worker', () => runner.isHealthy(), 3000);
    expect(internals.workers[0]?.worker).not.toBe(original);
    await runner.enqueue('supervised', { n: 7 });
    await waitFor('the job to run on the new worker', () => ran.length === 1);
  }, 10_000);

  it('reports unhealthy while Redis is unreachable and resumes work when it is back', async () => {
    const proxy = new RedisOutageProxy();
    await proxy.open();
    const worker = make(proxy.url);
    const ran: string[] = [];
    worker.registerHandler('after-outage', (payload) => {
      ran.push(String(payload.n));
      return Promise.resolve();
    });
    await worker.start();
    const producer = make();
    await producer.start();
    await producer.enqueue('after-outage', { n: 1 });
    await waitFor('a job before the outage', () => ran.length === 1);
    expect(worker.isHealthy()).toBe(true);

    await proxy.cut();
    await waitFor('the runner to notice the outage', () => !worker.isHealthy(), 3000);
    await producer.enqueue('after-outage', { n: 2 });
    await pause(300);
    expect(ran).toEqual(['1']);

    await proxy.open();
    await waitFor('health to return', () => worker.isHealthy(), 8000);
    await waitFor('the job queued during the outage to run', () => ran.length === 2, 8000);
    expect(ran).toEqual(['1', '2']);
    await worker.stop(2000);
    await proxy.cut();
  }, 30_000);

  it('re-creates a schedule that vanished (as after a failover to a replica that missed it)', async () => {
    const runner = make();
    let ticks = 0;
    runner.registerPeriodic('healing', {
      everySeconds: 0.3,
      handler: () => {
        ticks += 1;
        return Promise.resolve();
      },
    });
    await runner.start();
    await waitFor('a first tick', () => ticks >= 1, 3000);
    const queue = new Queue(BullMqJobRunner.periodicQueueName('healing'), {
      connection: { url: redisUrl },
      prefix,
    });
    try {
      expect(await queue.removeJobScheduler('healing')).toBe(true);
      await queue.drain(true);
    } finally {
      await queue.close();
    }
    const after = ticks;
    await waitFor(
      'the schedule to be re-created',
      async () => (await runner.describePeriodic('healing')).nextRunAt !== null,
      3000,
    );
    await waitFor('ticks to resume', () => ticks >= after + 2, 3000);
  }, 10_000);

  it('refuses to start when Redis is unreachable at boot', async () => {
    const proxy = new RedisOutageProxy();
    await proxy.open();
    await proxy.cut(); // a port nobody listens on any more
    const runner = new BullMqJobRunner({
      redisUrl: proxy.url.replace('127.0.0.1', 'user:secret@127.0.0.1'),
      prefix,
    });
    const error = await runner.start().then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/unreachable/);
    expect((error as Error).message).not.toContain('secret');
    expect(runner.isHealthy()).toBe(false);
  });

  it('stops within its bounds while Redis is unreachable', async () => {
    const proxy = new RedisOutageProxy();
    await proxy.open();
    const runner = make(proxy.url);
    runner.registerHandler('stranded', () => Promise.resolve());
    runner.registerPeriodic('stranded-tick', { everySeconds: 0.5, handler: () => Promise.resolve() });
    await runner.start();
    await proxy.cut();
    await waitFor('the runner to notice the outage', () => !runner.isHealthy(), 3000);
    const stoppingAt = Date.now();
    await runner.stop(500);
    // Force-closing each of the two workers may wait ~1 s, then the queues 1 s.
    expect(Date.now() - stoppingAt).toBeLessThan(5000);
  }, 15_000);
});
