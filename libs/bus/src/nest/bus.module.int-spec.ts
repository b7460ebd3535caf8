/** BusModule + @OnStreamMessage + BusExplorer in a real Nest application context, on both drivers. */
import { Injectable, Module, Scope } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { IsString } from 'class-validator';
import { TestRedis } from '@orrery/testing';
import { type BusMessage } from '../bus-message';
import { type BusOptions } from '../bus-options';
import { MessageBus } from '../message-bus';
import { inspectRedisTopic } from '../redis/redis-topic.inspector';
import { BusExplorer } from './bus.explorer';
import { BusModule } from './bus.module';
import { BusPublisher } from './bus.publisher';
import { OnStreamMessage } from './on-stream-message.decorator';

jest.setTimeout(15_000);

class PingDto {
  @IsString()
  name!: string;
}

async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each<BusOptions['driver']>(['memory', 'redis'])('BusModule (%s driver)', (driver) => {
  let redis: TestRedis;
  let topic: string;

  const options = (): BusOptions => ({
    driver,
    redis: { url: redis.url },
    consumer: { blockMs: 50, minIdleMs: 300, backoffBaseMs: 20, backoffMaxMs: 200 },
    dedupe: { keyPrefix: redis.key('dedupe:') },
  });

  beforeAll(() => {
    redis = TestRedis.open('bus-nest');
  });
  afterAll(async () => {
    await redis.close();
  });
  beforeEach(() => {
    topic = redis.key(`pings-${randomBytes(4).toString('hex')}`);
  });

  function rootModule(...handlers: (new (...args: never[]) => object)[]): new () => object {
    return rootModuleWith(options(), ...handlers);
  }

  function rootModuleWith(
    busOptions: BusOptions,
    ...handlers: (new (...args: never[]) => object)[]
  ): new () => object {
    @Module({ imports: [BusModule.forRoot(busOptions)], providers: handlers })
    class RootModule {}
    return RootModule;
  }

  const boot = (module: new () => object) =>
    NestFactory.createApplicationContext(module, { logger: false, abortOnError: false });

  it('wires a decorated handler at bootstrap, validates with its DTO and stops it on shutdown', async () => {
    @Injectable()
    class PingHandler {
      readonly received: BusMessage<PingDto>[] = [];

      @OnStreamMessage(topic, { group: 'pingers', dto: PingDto })
      async onPing(message: BusMessage<PingDto>): Promise<void> {
        this.received.push(message);
        await Promise.resolve();
      }
    }
    const app = await boot(rootModule(PingHandler));
    let closed = false;
    try {
      const handler = app.get(PingHandler);
      const explorer = app.get(BusExplorer);
      expect(explorer.health()).toEqual([
        expect.objectContaining({ topic, group: 'pingers', running: true }),
      ]);

      const publisher = app.get(BusPublisher);
      await publisher.publish(topic, { name: 5 });
      await publisher.publish(topic, { name: 'hello' });
      await waitFor('the valid ping', () => handler.received.length === 1);
      expect(handler.received[0]!.data).toBeInstanceOf(PingDto);
      expect(handler.received[0]!.data.name).toBe('hello');
      const bus = app.get(MessageBus);
      const letters = await bus.deadLetters(topic);
      expect(letters).toHaveLength(1);
      expect(letters[0]!.reason).toMatch(/name must be a string/);

      await app.close();
      closed = true;
      expect(explorer.health()).toEqual([]);
      await expect(bus.publish(topic, { name: 'late' })).rejects.toThrow(/closed/);
    } finally {
      if (!closed) {
        await app.close();
      }
    }
  });

  it('refuses to start with two handlers for the same (topic, group)', async () => {
    @Injectable()
    class First {
      @OnStreamMessage(topic, { group: 'same' })
      async handle(): Promise<void> {}
    }
    @Injectable()
    class Second {
      @OnStreamMessage(topic, { group: 'same' })
      async handle(): Promise<void> {}
    }
    await expect(boot(rootModule(First, Second))).rejects.toThrow(
      /First\.handle and Second\.handle|Second\.handle and First\.handle/,
    );
  });

  it('refuses to start on an invalid declaration', async () => {
    @Injectable()
    class Broken {
      @OnStreamMessage(topic, { group: '', concurrency: 0 })
      async handle(): Promise<void> {}
    }
    await expect(boot(rootModule(Broken))).rejects.toThrow(/invalid group/);
  });

  it('refuses a handler on a request-scoped provider', async () => {
    @Injectable({ scope: Scope.REQUEST })
    class Scoped {
      @OnStreamMessage(topic, { group: 'scoped' })
      async handle(): Promise<void> {}
    }
    await expect(boot(rootModule(Scoped))).rejects.toThrow(/must be a singleton/);
  });

  it('lets an in-flight handler finish and acknowledges it when the application closes', async () => {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    @Injectable()
    class SlowHandler {
      started = false;
      finished = false;

      @OnStreamMessage(topic, { group: 'slow' })
      async handle(): Promise<void> {
        this.started = true;
        await gate;
        this.finished = true;
      }
    }
    const app = await boot(rootModule(SlowHandler));
    const handler = app.get(SlowHandler);
    const bus = app.get(MessageBus);
    await app.get(BusPublisher).publish(topic, { n: 1 });
    await waitFor('the handler to start', () => handler.started);
    let closed = false;
    const closing = app.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);
    open();
    await closing;
    expect(handler.finished).toBe(true);
    const description =
      driver === 'redis' ? await inspectRedisTopic(redis.client, topic) : await bus.describe(topic);
    expect(description.groups.find((g) => g.name === 'slow')?.pending).toBe(0);
  });

  it('refuses to start when a required (topic, group) has no handler', async () => {
    @Injectable()
    class Present {
      @OnStreamMessage(topic, { group: 'present' })
      async handle(): Promise<void> {}
    }
    const required = {
      ...options(),
      requireHandlers: [
        { topic, group: 'present' },
        { topic, group: 'absent' },
      ],
    };
    await expect(boot(rootModuleWith(required, Present))).rejects.toThrow(
      new RegExp(`required ${topic}/absent$`),
    );
    const satisfied = await boot(
      rootModuleWith({ ...options(), requireHandlers: [{ topic, group: 'present' }] }, Present),
    );
    await satisfied.close();
  });
});
