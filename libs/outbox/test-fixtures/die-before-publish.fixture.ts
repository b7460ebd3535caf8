// Test fixture: commits a transaction that emits messages through the real OutboxPublisher, and
// dies with SIGKILL at the exact moment it would publish them — after the commit, before anything
// reaches the bus. Usage: node die-before-publish.fixture.js <pg url> <redis url> <topic> <count>
import 'reflect-metadata';
import { RedisStreamsBus } from '@orrery/bus';
import { uuid7 } from '@orrery/domain';
import { createDataSource, OutboxRepository } from '@orrery/persistence';
import { OutboxPublisher } from '../src/outbox.publisher';

async function main(): Promise<void> {
  const [url, redisUrl, topic, count] = process.argv.slice(2);
  if (url === undefined || redisUrl === undefined || topic === undefined || count === undefined) {
    throw new Error('usage: die-before-publish <pg url> <redis url> <topic> <count>');
  }
  const dataSource = createDataSource({ kind: 'postgres', url });
  await dataSource.initialize();
  const bus = new RedisStreamsBus({ redis: { url: redisUrl } });
  const dying = Object.create(bus) as RedisStreamsBus;
  dying.publishMany = () => {
    process.stdout.write('committed\n');
    process.kill(process.pid, 'SIGKILL');
    return new Promise(() => undefined);
  };
  const publisher = new OutboxPublisher(dataSource, new OutboxRepository(dataSource), dying);
  await publisher.transaction(async (_manager, emit) => {
    for (let i = 0; i < Number(count); i++) {
      const id = uuid7();
      emit({ topic, data: { id, i }, attributes: { id } });
    }
    return Promise.resolve();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
