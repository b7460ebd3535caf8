/**
 * Child process for the contract suite's kill -9 test: joins a consumer group, announces each message
 * it receives on stdout ("HAVE <id>") and never finishes handling it, so the test can SIGKILL it
 * mid-message and check another consumer gets the same message with a higher delivery count.
 * Usage: node kill-consumer.fixture.js <redis-url> <topic> <group>
 */
import { RedisStreamsBus } from '../src';

const [url, topic, group] = process.argv.slice(2);
if (url === undefined || topic === undefined || group === undefined) {
  process.stderr.write('usage: kill-consumer.fixture.js <redis-url> <topic> <group>\n');
  process.exit(2);
}

const bus = new RedisStreamsBus({ redis: { url }, consumer: { blockMs: 50, minIdleMs: 300 } });
bus.consume({
  topic,
  group,
  kind: 'single',
  handle: async (message) => {
    process.stdout.write(`HAVE ${message.id}\n`);
    // Hold the message forever: only SIGKILL ends this process.
    await new Promise<never>(() => undefined);
  },
});
process.stdout.write('READY\n');
