// A child process for the multi-process integration test (bullmq-multi-process.int-spec.ts), run
// from dist/ after `npm run build`. It registers the periodic job `tick` and the handler `item` on
// a BullMqJobRunner and records what it runs in Redis lists, so the parent can judge the cluster.
//
// Env: REDIS_URL, PREFIX (BullMQ namespace and key prefix), EVERY_SECONDS, WORK_MS (tick length),
// ITEM_LOCK_MS (per-item lock, short so a crashed item is redelivered quickly).
// IPC in: { type: 'enqueue', keys: string[], delaySeconds: number }. IPC out: { type: 'ready' },
// { type: 'enqueued', results: [{ key, deduplicated }] }.
import Redis from 'ioredis';
import { BullMqJobRunner } from '../src/index';

interface EnqueueCommand {
  readonly type: 'enqueue';
  readonly keys: readonly string[];
  readonly delaySeconds: number;
}

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`fixture needs ${name}`);
  return value;
};

async function main(): Promise<void> {
  const prefix = env('PREFIX');
  const workMs = Number(env('WORK_MS'));
  const redis = new Redis(env('REDIS_URL'));
  const record = async (list: string, entry: Record<string, unknown>): Promise<void> => {
    await redis.rpush(
      `${prefix}:test:${list}`,
      JSON.stringify({ pid: process.pid, at: Date.now(), ...entry }),
    );
  };
  const runner = new BullMqJobRunner({
    redisUrl: env('REDIS_URL'),
    prefix,
    supervisionIntervalMs: 500,
    itemLockDurationMs: Number(env('ITEM_LOCK_MS')),
  });
  runner.registerPeriodic('tick', {
    everySeconds: Number(env('EVERY_SECONDS')),
    handler: async ({ id, scheduledAt }) => {
      // The "started" marker is written first so the parent can find (and kill) the running process.
      await record('ticks', { event: 'started', slot: scheduledAt.epochMillis, id });
      await new Promise((resolve) => setTimeout(resolve, workMs));
      await record('ticks', { event: 'done', slot: scheduledAt.epochMillis });
    },
  });
  runner.registerHandler(
    'item',
    async (payload, context) => {
      if (typeof payload.holdMs === 'number') {
        // A long item: marks its start so the parent can kill the process running it.
        await record('held', { key: context.key, event: 'started', attempt: context.attempt });
        await new Promise((resolve) => setTimeout(resolve, payload.holdMs as number));
        await record('held', { key: context.key, event: 'done' });
        return;
      }
      await record('items', { key: context.key, payload });
    },
    { concurrency: 4 },
  );
  await runner.start();

  process.on('message', (message: EnqueueCommand) => {
    void (async () => {
      const results = [];
      for (const key of message.keys) {
        const result = await runner.enqueue('item', { key }, { key, delaySeconds: message.delaySeconds });
        results.push({ key, deduplicated: result.deduplicated });
      }
      process.send?.({ type: 'enqueued', results });
    })();
  });
  process.on('SIGTERM', () => {
    void runner
      .stop(2000)
      .then(() => redis.quit())
      .finally(() => process.exit(0));
  });
  process.send?.({ type: 'ready' });
}

main().catch((error: unknown) => {
  process.stderr.write(`fixture failed: ${String(error)}\n`);
  process.exit(1);
});
