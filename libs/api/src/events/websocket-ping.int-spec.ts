import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createTestDatabase, startTestApi, type TestDatabase, waitFor } from '@orrery/testing';
import WebSocket from 'ws';

/**
 * PREFECT_SERVER_API_WEBSOCKET_PING_INTERVAL / _TIMEOUT: every websocket is pinged at the interval,
 * and one whose pong is later than the timeout is cut off (uvicorn's behaviour for upstream).
 */
describe('websocket keep-alive pings (PREFECT_SERVER_API_WEBSOCKET_PING_*)', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let url: string;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true, poolSize: 1 });
    app = await startTestApi(
      { kind: 'postgres', url: db.url, poolSize: 2 },
      { websocketPing: { intervalSeconds: 0.1, timeoutSeconds: 0.3 } },
    );
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    url = `ws://127.0.0.1:${port}/api/events/in`;
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  async function open(
    autoPong: boolean,
  ): Promise<{ socket: WebSocket; pings: () => number; closed: Promise<void> }> {
    const socket = new WebSocket(url, ['prefect'], { autoPong });
    let pings = 0;
    socket.on('ping', () => (pings += 1));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return { socket, pings: () => pings, closed };
  }

  it('pings a live client at the interval and keeps it open while it answers', async () => {
    const client = await open(true);
    await waitFor(() => client.pings() >= 5, { what: 'five pings' });
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    client.socket.close();
    await client.closed;
  });

  it('cuts off a client that stops answering pings', async () => {
    const client = await open(false);
    await waitFor(() => client.pings() >= 1, { what: 'the first ping' });
    await client.closed;
    expect(client.socket.readyState).toBe(WebSocket.CLOSED);
  });
});
