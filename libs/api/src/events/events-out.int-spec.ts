import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { BusModule, MessageBus } from '@orrery/bus';
import { Instant, uuid7 } from '@orrery/domain';
import { JobsModule } from '@orrery/jobs';
import { OutboxModule } from '@orrery/outbox';
import { EventRepository, type EventWrite, PersistenceModule } from '@orrery/persistence';
import { createTestDatabase, TEST_API_OPTIONS, type TestDatabase, waitFor } from '@orrery/testing';
import WebSocket from 'ws';
import { ApiModule } from '../api.module';
import { createHttpApplication } from '../http/create-http-application';
import { RestApiModule } from '../rest-api.module';
import { DATABASE_PROBE } from '../root/ports';

type Json = Record<string, unknown>;

function stored(minutesAgo: number, event: string, resourceId: string): EventWrite {
  const occurred = Instant.now()
    .minusSeconds(minutesAgo * 60)
    .toISOString();
  return {
    id: uuid7(),
    occurred,
    event,
    resource: { 'prefect.resource.id': resourceId },
    related: [],
    payload: {},
    received: occurred,
    follows: null,
  };
}

async function startApi(url: string): Promise<NestFastifyApplication> {
  @Module({
    imports: [
      PersistenceModule.forRoot({ kind: 'postgres', url, poolSize: 2 }),
      BusModule.forRoot({ driver: 'memory' }),
      JobsModule.forRoot({ driver: 'in-process' }),
      OutboxModule.forRoot(),
      ApiModule.forRoot({
        options: TEST_API_OPTIONS,
        providers: [{ provide: DATABASE_PROBE, useValue: { ping: () => Promise.resolve() } }],
      }),
      RestApiModule,
    ],
  })
  class EventsOutRoot {}
  const app = await createHttpApplication(EventsOutRoot, TEST_API_OPTIONS, {
    log() {},
    error() {},
    warn() {},
  });
  await app.listen(0, '127.0.0.1');
  return app;
}

describe('WS /api/events/out', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  const recent = stored(5, 'prefect.flow-run.Running', 'prefect.flow-run.a');
  const older = stored(10, 'prefect.flow-run.Pending', 'prefect.flow-run.a');
  const tooOld = stored(30, 'prefect.flow-run.Scheduled', 'prefect.flow-run.a');
  const other = stored(4, 'prefect.worker.started', 'prefect.worker.w');

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true, poolSize: 1 });
    app = await startApi(db.url);
    await new EventRepository(db.dataSource).insertMany([recent, older, tooOld, other]);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  async function subscribe(
    message: Json,
  ): Promise<{ socket: WebSocket; frames: Json[]; closed: Promise<number> }> {
    const port = (app.getHttpServer().address() as { port: number }).port;
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/events/out`, ['prefect']);
    const frames: Json[] = [];
    socket.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString()) as Json));
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.send(JSON.stringify({ type: 'auth', token: null }));
    socket.send(JSON.stringify(message));
    return { socket, frames, closed };
  }

  it('backfills the last 15 minutes in ASC order, then streams matching live events once', async () => {
    const { socket, frames } = await subscribe({
      type: 'filter',
      filter: { event: { prefix: ['prefect.flow-run.'] }, order: 'DESC' },
    });
    await waitFor(() => frames.length >= 3, { what: 'auth and the backfill' });
    expect(frames[0]).toEqual({ type: 'auth_success' });
    expect(frames.slice(1).map((f) => (f.event as Json).id)).toEqual([older.id, recent.id]);
    expect(frames[1]).toEqual({
      type: 'event',
      event: { ...older, related: [], payload: {}, follows: null },
    });

    const live = stored(0, 'prefect.flow-run.Completed', 'prefect.flow-run.a');
    const ignored = stored(0, 'prefect.worker.stopped', 'prefect.worker.w');
    const post = await app.inject({ method: 'POST', url: '/api/events', payload: [ignored, live] });
    expect(post.statusCode).toBe(204);
    // A live copy of an event already backfilled is not sent twice.
    await app.get(MessageBus).publish('events', recent);
    await waitFor(() => frames.length >= 4, { what: 'the live event' });
    await new Promise((r) => setTimeout(r, 200));
    expect(frames.slice(3).map((f) => (f.event as Json).id)).toEqual([live.id]);
    expect((frames[3]?.event as Json).received).toMatch(/Z$/);
    socket.close();
  });

  it('without backfill only live events arrive', async () => {
    const { socket, frames } = await subscribe({ type: 'filter', filter: {}, backfill: false });
    await waitFor(() => frames.length >= 1, { what: 'auth' });
    // The subscription goes live once the server has read the filter: publish until one arrives.
    const sent: string[] = [];
    await waitFor(
      async () => {
        const live = stored(0, 'prefect.worker.started', 'prefect.worker.w2');
        sent.push(live.id);
        await app.inject({ method: 'POST', url: '/api/events', payload: [live] });
        await new Promise((r) => setTimeout(r, 100));
        return frames.length >= 2;
      },
      { what: 'a live event' },
    );
    expect(frames[0]).toEqual({ type: 'auth_success' });
    for (const f of frames.slice(1)) expect(sent).toContain((f.event as Json).id);
    socket.close();
  });

  it("serves the worker's cancellation subscription exactly as the SDK sends it", async () => {
    // From transcripts/process-worker-deployment.jsonl, with the window moved to now.
    const now = Date.now();
    const { socket, frames } = await subscribe({
      type: 'filter',
      filter: {
        occurred: {
          since: new Date(now - 60_000).toISOString(),
          until: new Date(now + 365 * 86_400_000).toISOString(),
        },
        event: {
          prefix: null,
          exclude_prefix: null,
          name: ['prefect.flow-run.Cancelling'],
          exclude_name: null,
        },
        resource: null,
        related: null,
        any_resource: null,
        id: { id: [] },
        text: null,
        order: 'DESC',
      },
    });
    await waitFor(() => frames.length >= 1, { what: 'auth' });
    const cancelling = stored(0, 'prefect.flow-run.Cancelling', 'prefect.flow-run.c');
    const sent: string[] = [];
    await waitFor(
      async () => {
        const e = { ...cancelling, id: uuid7() };
        sent.push(e.id);
        await app.inject({
          method: 'POST',
          url: '/api/events',
          payload: [stored(0, 'prefect.flow-run.Running', 'x'), e],
        });
        await new Promise((r) => setTimeout(r, 100));
        return frames.length >= 2;
      },
      { what: 'the Cancelling event' },
    );
    for (const f of frames.slice(1)) expect(sent).toContain((f.event as Json).id);
    socket.close();
  });

  it('closes 1002 when the first message is not a valid filter', async () => {
    for (const message of [{ type: 'nope' }, { type: 'filter', filter: { bogus: 1 } }]) {
      const { closed } = await subscribe(message);
      expect(await closed).toBe(1002);
    }
  });
});
