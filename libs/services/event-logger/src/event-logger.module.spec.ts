import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BusModule, MessageBus } from '@orrery/bus';
import { Instant, uuid7 } from '@orrery/domain';
import { waitFor } from '@orrery/testing';
import { EventLoggerModule } from './event-logger.module';
import { formatEventLine } from './event-logger.consumer';

describe('event-logger', () => {
  it('prints one line per event and dead-letters what is not an event', async () => {
    const lines: string[] = [];
    @Module({
      imports: [BusModule.forRoot({ driver: 'memory' }), EventLoggerModule.forRoot((l) => lines.push(l))],
    })
    class Root {}
    const app = await NestFactory.createApplicationContext(Root, { logger: false });
    await app.init();
    try {
      const bus = app.get(MessageBus);
      const id = uuid7();
      await bus.publish('events', {
        id,
        occurred: Instant.now().toISOString(),
        event: 'prefect.flow-run.Running',
        resource: { 'prefect.resource.id': 'prefect.flow-run.abc' },
      });
      await bus.publish('events', { not: 'an event' });
      await waitFor(() => lines.length === 1, { what: 'the event line' });
      expect(lines[0]).toMatch(
        new RegExp(
          `^${id.split('-')[0]} \\S+Z \\d+\\.\\d{3}s prefect.flow-run.Running prefect.flow-run.abc$`,
        ),
      );
      await waitFor(async () => (await bus.deadLetters('events')).length === 1, { what: 'the dead letter' });
    } finally {
      await app.close();
    }
  });

  it('reports the lag between occurrence and now', () => {
    const occurred = Instant.parse('2026-01-01T00:00:00Z');
    const line = formatEventLine(
      {
        id: 'aaaa-bbbb',
        occurred: occurred.toISOString(),
        event: 'x',
        resource: { 'prefect.resource.id': 'r' },
      },
      occurred.plusSeconds(2.5),
    );
    expect(line).toBe('aaaa 2026-01-01T00:00:00.000000Z 2.500s x r');
  });
});
