import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiModule } from '../api.module';
import { createHttpApplication } from '../http/create-http-application';
import { RestApiModule } from '../rest-api.module';
import { DATABASE_PROBE } from '../root/ports';
import { type BusMessage, BusModule, MessageBus } from '@orrery/bus';
import { loadSettings, SettingsModule } from '@orrery/config';
import { uuid7 } from '@orrery/domain';
import { JobsModule } from '@orrery/jobs';
import { OutboxModule } from '@orrery/outbox';
import { PersistenceModule } from '@orrery/persistence';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ContractValidator,
  contractDirectory,
  createTestDatabase,
  startTestApi,
  TEST_API_OPTIONS,
  type TestDatabase,
  waitFor,
} from '@orrery/testing';
import { EntityManager } from 'typeorm';

type Json = Record<string, unknown>;

const FLOW_ID = '01930000-0000-7000-8000-00000000f001';
const RUN_A = '01930000-0000-7000-8000-00000000a001';
const RUN_B = '01930000-0000-7000-8000-00000000b001';
const TASK_A = '01930000-0000-7000-8000-00000000c001';

/** The same module graph as startTestApi, plus a settings tree (log publishing switched on). */
async function startApiWithSettings(url: string, env: NodeJS.ProcessEnv): Promise<NestFastifyApplication> {
  @Module({
    imports: [
      SettingsModule.forRoot(loadSettings(env)),
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
  class PublishingApiRoot {}
  const app = await createHttpApplication(PublishingApiRoot, TEST_API_OPTIONS, {
    log() {},
    error() {},
    warn() {},
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

function logCreate(overrides: Json = {}): Json {
  return {
    name: 'prefect.flow_runs',
    level: 20,
    message: 'Beginning flow run',
    timestamp: '2026-11-22T10:14:02.496382Z',
    flow_run_id: RUN_A,
    task_run_id: null,
    ...overrides,
  };
}

describe('/api/logs and the run log download on PostgreSQL, against the contract', () => {
  const contract = new ContractValidator();
  let db: TestDatabase;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: true });
    app = await startTestApi({ kind: 'postgres', url: db.url, poolSize: 3 });
    await db.dataSource.query(`INSERT INTO flow (id, name) VALUES ($1, 'logs-flow')`, [FLOW_ID]);
    await db.dataSource.query(
      `INSERT INTO flow_run (id, flow_id, name) VALUES ($1, $3, 'csv, "quoted" run'), ($2, $3, 'other-run')`,
      [RUN_A, RUN_B, FLOW_ID],
    );
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });
  beforeEach(async () => {
    await db.dataSource.query('DELETE FROM log');
  });

  async function call(method: string, url: string, path: string, body?: unknown) {
    const response = await app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: method as 'GET',
        url,
        ...(body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) }),
      });
    const isJson = String(response.headers['content-type'] ?? '').startsWith('application/json');
    const parsed: unknown = response.body === '' ? null : isJson ? response.json() : response.body;
    contract.assert({ method, path, status: response.statusCode, body: parsed });
    return {
      status: response.statusCode,
      body: parsed as Json,
      headers: response.headers,
      text: response.body,
    };
  }

  const logCount = async (): Promise<number> =>
    ((await db.dataSource.query('SELECT count(*)::int AS n FROM log')) as { n: number }[])[0]!.n;

  describe('POST /logs/', () => {
    it('writes an SDK batch and answers 201 null, with UUIDv7 ids and the client timestamps', async () => {
      const batch = [
        logCreate(),
        logCreate({
          name: 'prefect.task_runs',
          task_run_id: TASK_A,
          message: 'Finished in state Completed()',
        }),
        logCreate({ level: 40, timestamp: '2026-11-22 10:14:04.534639+00:00', flow_run_id: RUN_B }),
      ];
      const response = await call('POST', '/api/logs/', '/logs/', batch);
      expect(response).toMatchObject({ status: 201, body: null, text: 'null' });
      const rows = (await db.dataSource.query(
        `SELECT id, name, level, message, to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS ts,
           flow_run_id, task_run_id FROM log ORDER BY "timestamp", name`,
      )) as Json[];
      expect(rows).toHaveLength(3);
      for (const row of rows) expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab]/);
      expect(rows.map((r) => [r.name, r.level, r.ts, r.flow_run_id, r.task_run_id])).toEqual([
        ['prefect.flow_runs', 20, '2026-11-22T10:14:02.496382', RUN_A, null],
        ['prefect.task_runs', 20, '2026-11-22T10:14:02.496382', RUN_A, TASK_A],
        ['prefect.flow_runs', 40, '2026-11-22T10:14:04.534639', RUN_B, null],
      ]);
      // The SDK also posts without the trailing slash, and an empty batch is fine.
      expect((await call('POST', '/api/logs', '/logs/', [])).status).toBe(201);
    });

    it('accepts every log batch the SDK, the worker and the runner sent in the recorded transcripts', async () => {
      const dir = join(contractDirectory(), 'transcripts');
      const batches = readdirSync(dir)
        .filter((file) => file.endsWith('.jsonl'))
        .flatMap((file) => readFileSync(join(dir, file), 'utf8').split('\n'))
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Json)
        .filter((entry) => entry.method === 'POST' && entry.path === '/api/logs/');
      expect(batches.length).toBeGreaterThan(0);
      let expected = 0;
      for (const entry of batches) {
        const response = await call('POST', '/api/logs/', '/logs/', entry.req_body);
        expect({ status: response.status, body: response.body }).toEqual({
          status: entry.status,
          body: entry.res_body,
        });
        expected += (entry.req_body as unknown[]).length;
      }
      expect(await logCount()).toBe(expected);
    });

    it('inserts a large batch with one multi-row INSERT per 1 000 logs', async () => {
      const batch = Array.from({ length: 10_000 }, (_, i) =>
        logCreate({
          message: `line ${i}`,
          timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)).toISOString(),
        }),
      );
      const query = jest.spyOn(EntityManager.prototype, 'query');
      try {
        expect((await call('POST', '/api/logs/', '/logs/', batch)).status).toBe(201);
        const inserts = query.mock.calls.filter(([sql]) => String(sql).startsWith('INSERT INTO log'));
        expect(inserts.map(([, params]) => (params as unknown[]).length)).toEqual(Array(10).fill(1_000 * 7));
      } finally {
        query.mockRestore();
      }
      expect(await logCount()).toBe(10_000);
    });

    it('strips NUL characters instead of failing the batch', async () => {
      await call('POST', '/api/logs/', '/logs/', [logCreate({ message: 'a\u0000b', name: 'x\u0000' })]);
      expect(await db.dataSource.query('SELECT name, message FROM log')).toEqual([
        { name: 'x', message: 'ab' },
      ]);
    });

    it('rejects the whole batch with 422 naming each bad field by its index', async () => {
      const response = await call('POST', '/api/logs/', '/logs/', [
        logCreate(),
        { name: 7, level: 'high', timestamp: 'yesterday', flow_run_id: 'nope', colour: 'red' },
        'not a log',
        logCreate({ level: 40_000 }),
      ]);
      expect(response.status).toBe(422);
      expect((response.body.exception_detail as Json[]).map((issue) => [issue.type, issue.loc])).toEqual([
        ['string_type', ['body', 1, 'name']],
        ['int_type', ['body', 1, 'level']],
        ['missing', ['body', 1, 'message']],
        ['datetime_from_date_parsing', ['body', 1, 'timestamp']],
        ['uuid_parsing', ['body', 1, 'flow_run_id']],
        ['extra_forbidden', ['body', 1, 'colour']],
        ['model_attributes_type', ['body', 2]],
        ['less_than_equal', ['body', 3, 'level']],
      ]);
      expect(await logCount()).toBe(0);
      const notAList = await call('POST', '/api/logs/', '/logs/', { name: 'x' });
      expect(notAList.status).toBe(422);
      expect(notAList.body.exception_detail).toEqual([
        expect.objectContaining({ type: 'list_type', loc: ['body'] }),
      ]);
    });
  });

  describe('POST /logs/filter', () => {
    beforeEach(async () => {
      await call('POST', '/api/logs/', '/logs/', [
        logCreate({ message: 'first', level: 10, timestamp: '2026-01-01T00:00:01Z' }),
        logCreate({ message: 'Error: disk full', level: 40, timestamp: '2026-01-01T00:00:02Z' }),
        logCreate({
          message: 'error ignored later',
          level: 40,
          timestamp: '2026-01-01T00:00:03Z',
          task_run_id: TASK_A,
        }),
        logCreate({ message: 'other run', level: 50, timestamp: '2026-01-01T00:00:04Z', flow_run_id: RUN_B }),
      ]);
    });

    const messages = (body: unknown): string[] => (body as { message: string }[]).map((l) => l.message);

    it('sorts by timestamp ascending by default, or descending, and pages', async () => {
      const all = await call('POST', '/api/logs/filter', '/logs/filter', {});
      expect(messages(all.body)).toEqual(['first', 'Error: disk full', 'error ignored later', 'other run']);
      expect((all.body as unknown as Json[])[0]).toEqual({
        id: expect.any(String),
        created: expect.stringMatching(/Z$/),
        updated: expect.stringMatching(/Z$/),
        name: 'prefect.flow_runs',
        level: 10,
        message: 'first',
        timestamp: '2026-01-01T00:00:01.000000Z',
        flow_run_id: RUN_A,
        task_run_id: null,
      });
      const page = await call('POST', '/api/logs/filter', '/logs/filter', {
        sort: 'TIMESTAMP_DESC',
        limit: 2,
        offset: 1,
      });
      expect(messages(page.body)).toEqual(['error ignored later', 'Error: disk full']);
    });

    it('filters by run, level, task run and text query', async () => {
      const byRun = await call('POST', '/api/logs/filter', '/logs/filter', {
        logs: { flow_run_id: { any_: [RUN_A] }, level: { ge_: 40 } },
      });
      expect(messages(byRun.body)).toEqual(['Error: disk full', 'error ignored later']);
      const noTask = await call('POST', '/api/logs/filter', '/logs/filter', {
        logs: { task_run_id: { is_null_: true }, level: { le_: 40 } },
      });
      expect(messages(noTask.body)).toEqual(['first', 'Error: disk full']);
      const text = await call('POST', '/api/logs/filter', '/logs/filter', {
        logs: { text: { query: 'ERROR -ignored' } },
      });
      expect(messages(text.body)).toEqual(['Error: disk full']);
    });

    it('applies the limit rules and rejects unknown filter keys', async () => {
      expect(await call('POST', '/api/logs/filter', '/logs/filter', { limit: 201 })).toMatchObject({
        status: 422,
        body: { detail: 'Invalid limit: must be less than or equal to 200.' },
      });
      expect(await call('POST', '/api/logs/filter', '/logs/filter', { limit: -1 })).toMatchObject({
        status: 422,
        body: { detail: 'Invalid limit: must be greater than or equal to 0.' },
      });
      const unknown = await call('POST', '/api/logs/filter', '/logs/filter', { logs: { levle: {} } });
      expect(unknown.status).toBe(422);
      expect(unknown.body.exception_detail).toEqual([
        expect.objectContaining({ type: 'extra_forbidden', loc: ['body', 'logs', 'levle'] }),
      ]);
      const badSort = await call('POST', '/api/logs/filter', '/logs/filter', { sort: 'LEVEL_DESC' });
      expect(badSort.status).toBe(422);
    });
  });

  describe('GET /flow_runs/{id}/logs/download', () => {
    it('streams every log of the run as CSV across pages, oldest first, quoting as Python does', async () => {
      // 2 500 logs (three pages of 1 000) sharing timestamps in pairs, so pages break inside a tie.
      const batch = Array.from({ length: 2_500 }, (_, i) =>
        logCreate({
          message: i === 1_000 ? 'tricky, "quoted"\nmultiline' : `line ${String(i).padStart(4, '0')}`,
          timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, Math.floor(i / 2))).toISOString(),
          task_run_id: i % 2 === 0 ? null : TASK_A,
        }),
      );
      batch.push(logCreate({ message: 'not this run', flow_run_id: RUN_B }));
      await call('POST', '/api/logs/', '/logs/', batch);

      const response = await call(
        'GET',
        `/api/flow_runs/${RUN_A}/logs/download`,
        '/flow_runs/{id}/logs/download',
      );
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toBe(
        `attachment; filename="flow-run-logs.csv"; filename*=UTF-8''csv%2C%20%22quoted%22%20run-logs.csv`,
      );
      const lines = response.text.split('\r\n');
      expect(lines[0]).toBe('timestamp,level,flow_run_id,task_run_id,message');
      expect(lines[1]).toBe(`2026-01-01 00:00:00+00:00,20,${RUN_A},,line 0000`);
      expect(lines[2]).toBe(`2026-01-01 00:00:00+00:00,20,${RUN_A},${TASK_A},line 0001`);
      expect(lines[1_001]).toBe(
        `2026-01-01 00:00:00.500000+00:00,20,${RUN_A},,"tricky, ""quoted""\nmultiline"`,
      );
      expect(lines[2_500]).toBe(`2026-01-01 00:00:01.249000+00:00,20,${RUN_A},${TASK_A},line 2499`);
      expect(lines).toHaveLength(2_502); // header + 2 500 rows + the empty string after the last CRLF
      const bodies = lines.slice(1, -1).map((l) => l.slice(l.lastIndexOf(',') + 1));
      expect(new Set(bodies).size).toBe(2_500); // no row twice, none lost at a page boundary
      expect(response.text).not.toContain('not this run');
    });

    it('answers a run without logs with the header only, and 404 for an unknown run', async () => {
      const empty = await call(
        'GET',
        `/api/flow_runs/${RUN_B}/logs/download`,
        '/flow_runs/{id}/logs/download',
      );
      expect(empty.text).toBe('timestamp,level,flow_run_id,task_run_id,message\r\n');
      expect(
        await call('GET', `/api/flow_runs/${uuid7()}/logs/download`, '/flow_runs/{id}/logs/download'),
      ).toMatchObject({ status: 404, body: { detail: 'Flow run not found' } });
      expect(
        await call('GET', '/api/flow_runs/not-a-uuid/logs/download', '/flow_runs/{id}/logs/download'),
      ).toMatchObject({ status: 404, body: { detail: 'Not Found' } });
    });
  });

  describe('publishing to the logs topic', () => {
    async function tailLogs(
      target: NestFastifyApplication,
    ): Promise<{ seen: BusMessage<unknown>[]; stop: () => Promise<void> }> {
      const seen: BusMessage<unknown>[] = [];
      const handle = await target.get(MessageBus).tail('logs', (message) => {
        seen.push(message);
      });
      return { seen, stop: () => handle.stop() };
    }

    it('publishes each written log with its log_id when PREFECT_SERVER_LOGS_STREAM_PUBLISHING_ENABLED is on', async () => {
      const publishing = await startApiWithSettings(db.url, {
        PREFECT_SERVER_LOGS_STREAM_PUBLISHING_ENABLED: 'true',
      });
      try {
        const tail = await tailLogs(publishing);
        const response = await publishing
          .getHttpAdapter()
          .getInstance()
          .inject({
            method: 'POST',
            url: '/api/logs/',
            headers: { 'content-type': 'application/json' },
            payload: JSON.stringify([logCreate({ message: 'one' }), logCreate({ message: 'two' })]),
          });
        expect(response.statusCode).toBe(201);
        await waitFor(() => tail.seen.length === 2, { what: 'two published logs' });
        const stored = (await db.dataSource.query('SELECT id::text FROM log ORDER BY message')) as {
          id: string;
        }[];
        expect(tail.seen.map((m) => m.attributes.log_id).sort()).toEqual(stored.map((r) => r.id).sort());
        expect(tail.seen.map((m) => (m.data as Json).message).sort()).toEqual(['one', 'two']);
        expect(tail.seen[0]!.data).toEqual({
          id: tail.seen[0]!.attributes.log_id,
          created: expect.any(String),
          updated: expect.any(String),
          name: 'prefect.flow_runs',
          level: 20,
          message: expect.any(String),
          timestamp: '2026-11-22T10:14:02.496382Z',
          flow_run_id: RUN_A,
          task_run_id: null,
        });
        await tail.stop();
      } finally {
        await publishing.close();
      }
    });

    it('publishes nothing when the setting is off (its default)', async () => {
      const tail = await tailLogs(app);
      expect((await call('POST', '/api/logs/', '/logs/', [logCreate()])).status).toBe(201);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(tail.seen).toEqual([]);
      await tail.stop();
    });
  });
});
