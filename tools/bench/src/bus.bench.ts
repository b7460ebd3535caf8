// Bus benchmark: how many messages per second go from publish to an acknowledged batch handler, and
// with what latency, on the in-memory driver and on Redis Streams (the hot path of every event).
// Prints numbers and the Redis/memory ratio; asserts nothing (timing goals live here, not in tests).
//
//   npm run build && node dist/tools/bench/src/bus.bench.js [--messages 20000] [--batch 100]
//        [--publish-batch 50] [--consumers 2] [--redis redis://127.0.0.1:6379/0] [--drivers memory,redis]
import 'reflect-metadata';
import { type BusMessage, InMemoryBus, type MessageBus, RedisStreamsBus } from '@orrery/bus';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { fmt, parseArgs, summarise } from './bench-support';

interface Result {
  driver: string;
  messages: number;
  seconds: number;
  perSecond: number;
  latency: ReturnType<typeof summarise>;
}

async function run(driver: 'memory' | 'redis', options: Record<string, string>): Promise<Result> {
  const messages = Number(options.messages ?? 20000);
  const publishBatch = Number(options['publish-batch'] ?? 50);
  const readBatch = Number(options.batch ?? 100);
  const consumers = Number(options.consumers ?? 2);
  const redisUrl = options.redis ?? 'redis://127.0.0.1:6379/0';
  const topic = `bench-bus-${randomBytes(4).toString('hex')}`;
  const bus: MessageBus =
    driver === 'memory'
      ? new InMemoryBus({ memory: { maxStreamLength: messages + 1 } })
      : new RedisStreamsBus({ redis: { url: redisUrl, connectionName: 'orrery-bench' } });

  const latencies: number[] = [];
  let received = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const handles = Array.from({ length: consumers }, () =>
    bus.consume<{ sentAt: number }>({
      kind: 'batch',
      topic,
      group: 'bench',
      tuning: { readBatchSize: readBatch, blockMs: 100 },
      handle: (batch: BusMessage<{ sentAt: number }>[]) => {
        const now = performance.timeOrigin + performance.now();
        for (const m of batch) latencies.push(now - m.data.sentAt);
        received += batch.length;
        if (received >= messages) done();
      },
    }),
  );

  const started = performance.now();
  for (let sent = 0; sent < messages; sent += publishBatch) {
    const size = Math.min(publishBatch, messages - sent);
    const sentAt = performance.timeOrigin + performance.now();
    await bus.publishMany(
      topic,
      Array.from({ length: size }, (_, i) => ({
        data: { sentAt, n: sent + i },
        attributes: { id: `${sent + i}` },
      })),
    );
  }
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(handles.map((h) => h.stop()));
  await bus.close();
  if (driver === 'redis') {
    const redis = new Redis(redisUrl);
    await redis.del(topic, `${topic}:dead-letter`);
    redis.disconnect();
  }
  return { driver, messages, seconds, perSecond: messages / seconds, latency: summarise(latencies) };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const drivers = (options.drivers ?? 'memory,redis').split(',') as ('memory' | 'redis')[];
  console.log(
    `bus benchmark: ${options.messages ?? 20000} messages, publish batches of ${options['publish-batch'] ?? 50}, ` +
      `${options.consumers ?? 2} consumers reading ${options.batch ?? 100} at a time`,
  );
  const results: Result[] = [];
  for (const driver of drivers) {
    const r = await run(driver, options);
    results.push(r);
    console.log(
      `${driver.padEnd(6)} ${fmt(r.perSecond, 0).padStart(8)} msg/s  publish→handled latency ms p50 ${fmt(r.latency.p50)} ` +
        `p95 ${fmt(r.latency.p95)} p99 ${fmt(r.latency.p99)} max ${fmt(r.latency.max)}  (${fmt(r.seconds, 2)} s)`,
    );
  }
  const memory = results.find((r) => r.driver === 'memory');
  const redis = results.find((r) => r.driver === 'redis');
  if (memory && redis)
    console.log(`redis/memory throughput ratio: ${fmt(redis.perSecond / memory.perSecond, 2)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
