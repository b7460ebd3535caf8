import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type BusMessage, BusModule, MessageBus } from '@orrery/bus';
import { uuid7 } from '@orrery/domain';
import { EVENT_LIMITS } from './event-limits.provider';
import { DEFAULT_EVENT_LIMITS, type Event } from './event.model';
import { EventPublisher } from './event.publisher';
import { EventsModule } from './events.module';

function event(overrides: Partial<Event> = {}): Event {
  return {
    id: uuid7(),
    occurred: '2026-11-22T10:13:02.735792Z',
    event: 'prefect.flow-run.heartbeat',
    resource: { 'prefect.resource.id': 'prefect.flow-run.a' },
    related: [],
    payload: {},
    follows: null,
    ...overrides,
  };
}

describe('EventPublisher', () => {
  it('stamps received, publishes {id, event} attributes, drops duplicates and oversize events', async () => {
    @Module({ imports: [BusModule.forRoot({ driver: 'memory' }), EventsModule] })
    class Root {}
    const app = await NestFactory.createApplicationContext(Root, { logger: false });
    await app.init();
    try {
      expect(app.get(EVENT_LIMITS)).toEqual(DEFAULT_EVENT_LIMITS);
      const bus = app.get(MessageBus);
      const seen: BusMessage<unknown>[] = [];
      await bus.tail('events', (m) => {
        seen.push(m);
      });
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const publisher = app.get(EventPublisher);
      const first = event();
      const huge = event({ payload: { blob: 'x'.repeat(DEFAULT_EVENT_LIMITS.maximumSizeBytes) } });
      expect(await publisher.publish([first, huge, first])).toBe(1);
      expect(await publisher.publish([first])).toBe(0);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining(`dropped event ${huge.id}`));
      warn.mockRestore();
      for (let i = 0; i < 50 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(seen).toHaveLength(1);
      expect(seen[0]?.attributes).toEqual({ id: first.id, event: first.event });
      expect(seen[0]?.data).toEqual({ ...first, received: expect.stringMatching(/^\d{4}-.*\.\d{6}Z$/) });
    } finally {
      await app.close();
    }
  });
});
