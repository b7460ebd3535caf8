import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contractDirectory, freePort, OrreryProcess, waitFor } from '@orrery/testing';
import WebSocket from 'ws';

type Json = Record<string, unknown>;
const AUTH = 'admin:pass';

/** The SDK's own frames on /api/events/in, from the recorded flow run. */
function transcriptEvents(): Json[] {
  return readFileSync(join(contractDirectory(), 'transcripts', 'flow-two-tasks.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { kind: string; path?: string; data?: Json })
    .filter((r) => r.kind === 'ws-in' && r.path === '/api/events/in' && r.data?.type !== 'auth')
    .map((r) => r.data as Json);
}

async function authenticated(url: string): Promise<{ socket: WebSocket; frames: Json[] }> {
  const socket = new WebSocket(url, ['prefect']);
  const frames: Json[] = [];
  socket.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString()) as Json));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ type: 'auth', token: AUTH }));
  await waitFor(() => frames.length >= 1, { what: 'auth_success' });
  expect(frames.shift()).toEqual({ type: 'auth_success' });
  return { socket, frames };
}

describe('events through the embedded server (orrery server start, PGlite, in-process bus)', () => {
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'orrery-events-e2e-'));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('SDK events in over the websocket come out live on /events/out and are persisted for /events/filter', async () => {
    const port = await freePort();
    const server = OrreryProcess.start(['server', 'start'], {
      PREFECT_HOME: home,
      PREFECT_SERVER_API_PORT: String(port),
      PREFECT_SERVER_API_AUTH_STRING: AUTH,
      PREFECT_SERVER_SERVICES_EVENT_PERSISTER_FLUSH_INTERVAL: '0.5',
    });
    const api = `http://127.0.0.1:${port}/api`;
    const headers = {
      authorization: `Basic ${Buffer.from(AUTH).toString('base64')}`,
      'content-type': 'application/json',
    };
    let exitCode: number | null = null;
    try {
      await server.waitForOutput(/orrery: ready \(api.*event-persister/, 45_000);
      // Re-stamped to now: /events/out backfills and streams only the last 15 minutes.
      const sdkEvents = transcriptEvents().map((e): Json => ({ ...e, occurred: new Date().toISOString() }));
      const out = await authenticated(`ws://127.0.0.1:${port}/api/events/out`);
      // Only the SDK's event families: the server emits its own events too (e.g. block types
      // registered at start-up), which are not what this test sent.
      const sdkPrefixes = ['prefect.flow-run.', 'prefect.task-run.'];
      out.socket.send(JSON.stringify({ type: 'filter', filter: { event: { prefix: sdkPrefixes } } }));
      // The subscription is live once the server has read the filter.
      await new Promise((r) => setTimeout(r, 500));
      const into = await authenticated(`ws://127.0.0.1:${port}/api/events/in`);
      for (const event of sdkEvents) into.socket.send(JSON.stringify(event));

      const expected = sdkEvents.map((e) => e.id);
      await waitFor(() => out.frames.length >= expected.length, {
        timeoutMs: 15_000,
        what: 'the live events',
      });
      expect(out.frames.map((f) => (f.event as Json).id)).toEqual(expected);

      const page = await waitFor(
        async () => {
          const response = await fetch(`${api}/events/filter`, {
            method: 'POST',
            headers,
            body: JSON.stringify({
              filter: { order: 'ASC', event: { prefix: sdkPrefixes } },
              limit: 50,
            }),
          });
          const body = (await response.json()) as { events: Json[]; total: number };
          return body.total >= expected.length ? body : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 250, what: 'the persisted events' },
      );
      expect(page.total).toBe(expected.length);
      expect(new Set(page.events.map((e) => e.id))).toEqual(new Set(expected));
      into.socket.close();
      out.socket.close();
    } finally {
      exitCode = await server.stop();
    }
    if (exitCode !== 0) throw new Error(`the server exited with ${String(exitCode)}:\n${server.output()}`);
  }, 90_000);
});
