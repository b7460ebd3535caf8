import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type BusMessage, BusModule, MessageBus } from '@orrery/bus';
import { uuid7 } from '@orrery/domain';
import { JobsModule } from '@orrery/jobs';
import { OutboxModule } from '@orrery/outbox';
import { PersistenceModule } from '@orrery/persistence';
import {
  ContractValidator,
  contractDirectory,
  createTestDatabase,
  TEST_API_OPTIONS,
  type TestDatabase,
  waitFor,
} from '@orrery/testing';
import WebSocket from 'ws';
import type { ApiOptions } from '../api-options';
import { ApiModule } from '../api.module';
import { createHttpApplication } from '../http/create-http-application';
import { RestApiModule } from '../rest-api.module';
import { DATABASE_PROBE } from '../root/ports';

type Json = Record<string, unknown>;

/** The SDK's own frames on /api/events/in, from the recorded flow run. */
function transcriptEvents(): Json[] {
  return readFileSync(join(contractDirectory(), 'transcripts', 'flow-two-tasks.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { kind: string; path?: string; data?: Json })
    .filter((r) => r.kind === 'ws-in' && r.path === '/api/events/in' && r.data?.type !== 'auth')
    .map((r) => r.data as Json);
}

function event(overrides: Json = {}): Json {
  return {
    id: uuid7(),
    occurred: '2026-11-22T10:13:02.735792Z',
    event: 'prefect.flow-run.heartbeat',
    resource: { 'prefect.resource.id': 'prefect.flow-run.ca6a362e-a4d5-4334-8b98-8388e80f9662' },
    related: [{ 'prefect.resource.id': 'prefect.flow.e5f7', 'prefect.resource.role': 'flow' }],
    payload: {},
    ...overrides,
  };
}

async function startApi(url: string, options: ApiOptions): Promise<NestFastifyApplication> {
  @Module({
    imports: [
      PersistenceModule.forRoot({ kind: 'postgres', url, poolSize: 2 }),
      BusModule.forRoot({ driver: 'memory' }),
      JobsModule.forRoot({ driver: 'in-process' }),
      OutboxModule.forRoot(),
      ApiModule.forRoot({
        options,
        providers: [{ provide: DATABASE_PROBE, useValue: { ping: () => Promise.resolve() } }],
      }),
      RestApiModule,
    ],
  })
  class EventsApiRoot {}
  const app = await createHttpApplication(EventsApiRoot, options, { log() {}, error() {}, warn() {} });
  await app.listen(0, '127.0.0.1');
  return app;
}

function wsUrl(app: NestFastifyApplication, path: string): string {
  const address = app.getHttpServer().address() as { port: number };
  return `ws://127.0.0.1:${address.port}${path}`;
}

/** Opens a socket; resolves with it once open, collecting frames and the close code. */
async function open(
  url: string,
  protocols: string[] = ['prefect'],
): Promise<{ socket: WebSocket; frames: Json[]; closed: Promise<number> }> {
  const socket = new WebSocket(url, protocols);
  const frames: Json[] = [];
  socket.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString()) as Json));
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, frames, closed };
}

describe('POST /api/events and WS /api/events/in', () => {
  const contract = new ContractValidator();
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let published: BusMessage<unknown>[];

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true, poolSize: 1 });
    app = await startApi(db.url, TEST_API_OPTIONS);
    published = [];
    await app.get(MessageBus).tail('events', (m) => {
      published.push(m);
    });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });
  beforeEach(() => {
    published.length = 0;
  });

  it('POST /events: 204, stamped and published once per id with {id, event} attributes', async () => {
    const events = [
      event(),
      event({ event: 'prefect.flow-run.Running', related: undefined, payload: undefined }),
    ];
    const response = await app.inject({ method: 'POST', url: '/api/events', payload: events });
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    contract.assert({ method: 'POST', path: '/events', status: 204, body: undefined });
    const again = await app.inject({ method: 'POST', url: '/api/events/', payload: [events[0]] });
    expect(again.statusCode).toBe(204);
    await waitFor(() => published.length >= 2, { what: 'two published events' });
    await new Promise((r) => setTimeout(r, 100));
    expect(published.map((m) => m.attributes)).toEqual(
      events.map((e) => ({ id: e.id as string, event: e.event as string })),
    );
    const data = published[1]?.data as Json;
    expect(data).toMatchObject({ id: events[1]?.id, related: [], payload: {}, follows: null });
    expect(data.received).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('POST /events: occurred as Unix seconds and ids in any UUID form, published canonical', async () => {
    const id = uuid7();
    const follows = uuid7();
    const response = await app.inject({
      method: 'POST',
      url: '/api/events',
      payload: [
        event({ id: id.replace(/-/g, '').toUpperCase(), follows: `{${follows}}`, occurred: 1795342382.5 }),
      ],
    });
    expect(response.statusCode).toBe(204);
    await waitFor(() => published.length >= 1, { what: 'the published event' });
    expect(published[0]?.data).toMatchObject({ id, follows, occurred: '2026-11-22T10:13:02.500000Z' });
  });

  it('POST /events: 422 naming every bad field, nothing published', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/events',
      payload: [event(), event({ resource: { name: 'x' } }), event({ id: 'nope', event: 'x'.repeat(1025) })],
    });
    expect(response.statusCode).toBe(422);
    const body = response.json<{ exception_detail: { loc: unknown[] }[] }>();
    contract.assert({ method: 'POST', path: '/events', status: 422, body });
    expect(body.exception_detail.map((d) => d.loc)).toEqual([
      ['body', 1, 'resource'],
      ['body', 2, 'id'],
      ['body', 2, 'event'],
    ]);
    const notAList = await app.inject({ method: 'POST', url: '/api/events', payload: event() });
    expect(notAList.statusCode).toBe(422);
    await new Promise((r) => setTimeout(r, 100));
    expect(published).toHaveLength(0);
  });

  it('WS /events/in: handshake, the SDK transcript published in order, bad frames skipped', async () => {
    const sdkEvents = transcriptEvents();
    expect(sdkEvents.length).toBeGreaterThan(3);
    const { socket, frames } = await open(wsUrl(app, '/api/events/in'));
    expect(socket.protocol).toBe('prefect');
    // The auth frame and the first events in one burst: nothing may be lost between them.
    socket.send(JSON.stringify({ type: 'auth', token: null }));
    socket.send(JSON.stringify(sdkEvents[0]));
    socket.send('not json');
    socket.send(JSON.stringify({ ...sdkEvents[1], resource: {} }));
    for (const e of sdkEvents.slice(1)) socket.send(JSON.stringify(e));
    socket.send(JSON.stringify(sdkEvents[0])); // a re-send after a reconnect: de-duplicated
    await waitFor(() => published.length >= sdkEvents.length, { what: 'the transcript events' });
    await new Promise((r) => setTimeout(r, 100));
    expect(frames).toEqual([{ type: 'auth_success' }]);
    expect(published.map((m) => (m.data as Json).id)).toEqual(sdkEvents.map((e) => e.id));
    expect(socket.readyState).toBe(WebSocket.OPEN);
    // Pings are answered (the SDK's websockets client keeps the connection alive with them).
    const pong = new Promise<void>((resolve) => socket.once('pong', () => resolve()));
    socket.ping();
    await pong;
    socket.close();
  });

  it('WS /events/in: frames too deep, with too many values or holding NUL are skipped, the stream goes on', async () => {
    const bounded = await startApi(db.url, { ...TEST_API_OPTIONS, maxJsonDepth: 20, maxJsonValues: 50 });
    const seen: BusMessage<unknown>[] = [];
    await bounded.get(MessageBus).tail('events', (m) => {
      seen.push(m);
    });
    try {
      const { socket, frames } = await open(wsUrl(bounded, '/api/events/in'));
      socket.send(JSON.stringify({ type: 'auth', token: null }));
      const deep = event({ payload: { x: JSON.parse(`${'['.repeat(30)}${']'.repeat(30)}`) as unknown } });
      const wide = event({ payload: { x: Array.from({ length: 60 }, () => ({})) } });
      const nul = event({ payload: { x: 'a\u0000b' } });
      const proto = `{"__proto__":{"polluted":true},${JSON.stringify(event()).slice(1)}`;
      const good = event();
      for (const frame of [JSON.stringify(deep), JSON.stringify(wide), JSON.stringify(nul), proto]) {
        socket.send(frame);
      }
      socket.send(JSON.stringify(good));
      // Frames are handled in order: once the last one is published, the others were refused.
      await waitFor(() => seen.length >= 1, { what: 'the good event' });
      await waitFor(() => frames.length === 1, { what: 'auth_success' });
      expect(seen.map((m) => (m.data as Json).id)).toEqual([good.id]);
      expect(({} as Json).polluted).toBeUndefined();
      expect(socket.readyState).toBe(WebSocket.OPEN);
      socket.close();
    } finally {
      await bounded.close();
    }
  });

  it('WS handshake and filter frames of every websocket are parsed within the value limit', async () => {
    const bounded = await startApi(db.url, { ...TEST_API_OPTIONS, maxJsonValues: 50 });
    try {
      // Anyone may send an auth frame: one over PREFECT_SERVER_API_MAX_JSON_VALUES is no auth message.
      const wide = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, i]));
      const refused = await open(wsUrl(bounded, '/api/events/in'));
      refused.socket.send(JSON.stringify({ type: 'auth', token: null, ...wide }));
      expect(await refused.closed).toBe(1008);
      // After the handshake, a filter frame over it is no filter either (events/out closes 1002).
      const out = await open(wsUrl(bounded, '/api/events/out'));
      out.socket.send(JSON.stringify({ type: 'auth', token: null }));
      await waitFor(() => out.frames.length === 1, { what: 'auth_success' });
      out.socket.send(JSON.stringify({ type: 'filter', filter: { event: { name: Object.keys(wide) } } }));
      expect(await out.closed).toBe(1002);
    } finally {
      await bounded.close();
    }
  });

  it('WS /events/in: a frame over PREFECT_SERVER_API_MAX_BODY_SIZE closes 1009', async () => {
    const small = await startApi(db.url, { ...TEST_API_OPTIONS, maxBodyBytes: 64 * 1024 });
    const seen: BusMessage<unknown>[] = [];
    await small.get(MessageBus).tail('events', (m) => {
      seen.push(m);
    });
    try {
      const { socket, closed } = await open(wsUrl(small, '/api/events/in'));
      socket.send(JSON.stringify({ type: 'auth', token: null }));
      socket.send(JSON.stringify(event({ payload: { x: 'x'.repeat(64 * 1024) } })));
      expect(await closed).toBe(1009);
      expect(seen).toHaveLength(0);
    } finally {
      await small.close();
    }
  });

  it('WS /events/in: legacy clients (no subprotocol) need no handshake', async () => {
    const { socket, frames } = await open(wsUrl(app, '/api/events/in'), []);
    const e = event();
    socket.send(JSON.stringify(e));
    await waitFor(() => published.length === 1, { what: 'the legacy event' });
    expect(frames).toEqual([]);
    socket.close();
  });

  it('WS /events/in: a first frame other than auth closes 1008', async () => {
    const { socket, closed } = await open(wsUrl(app, '/api/events/in'));
    socket.send(JSON.stringify(event()));
    expect(await closed).toBe(1008);
  });

  it('an unknown websocket path is refused', async () => {
    const socket = new WebSocket(wsUrl(app, '/api/nope'), ['prefect']);
    const error = await new Promise<Error>((resolve) => socket.once('error', resolve));
    expect(error.message).toMatch(/404/);
  });

  it('a shutdown closes open websockets with 1001 instead of waiting for them', async () => {
    const other = await startApi(db.url, TEST_API_OPTIONS);
    const { socket, frames, closed } = await open(wsUrl(other, '/api/events/in'));
    socket.send(JSON.stringify({ type: 'auth', token: null }));
    await waitFor(() => frames.length === 1, { what: 'auth_success' });
    const started = Date.now();
    await other.close();
    expect(await closed).toBe(1001);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  describe('with PREFECT_SERVER_API_AUTH_STRING', () => {
    let secured: NestFastifyApplication;
    beforeAll(async () => {
      secured = await startApi(db.url, { ...TEST_API_OPTIONS, authString: 'admin:s3cret' });
    });
    afterAll(async () => {
      await secured?.close();
    });

    it('accepts the right token, closes 1008 on a wrong or missing one and 1002 without the subprotocol', async () => {
      const good = await open(wsUrl(secured, '/api/events/in'));
      good.socket.send(JSON.stringify({ type: 'auth', token: 'admin:s3cret' }));
      await waitFor(() => good.frames.length === 1, { what: 'auth_success' });
      expect(good.frames).toEqual([{ type: 'auth_success' }]);
      good.socket.close();

      for (const token of ['admin:wrong', null, 'x']) {
        const bad = await open(wsUrl(secured, '/api/events/in'));
        bad.socket.send(JSON.stringify({ type: 'auth', token }));
        expect(await bad.closed).toBe(1008);
        expect(bad.frames).toEqual([]);
      }
      const legacy = await open(wsUrl(secured, '/api/events/in'), []);
      expect(await legacy.closed).toBe(1002);
    });
  });
});
