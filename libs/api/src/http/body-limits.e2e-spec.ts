import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type OrreryProcess, startOrreryServer } from '@orrery/testing';

/*
 * PREFECT_SERVER_API_MAX_JSON_VALUES and PREFECT_SERVER_API_MAX_BULK_ITEMS through the real server
 * (`orrery server start`, embedded PGlite): read from the environment, enforced on the real routes,
 * answered in Prefect's 422 shape naming the setting. Small limits keep the bodies small.
 */
describe('body value and bulk item limits through orrery server start', () => {
  let home: string;
  let server: OrreryProcess;
  let api: string;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'orrery-body-limits-e2e-'));
    const started = await startOrreryServer(
      {
        PREFECT_HOME: home,
        PREFECT_SERVER_API_MAX_JSON_VALUES: '50',
        PREFECT_SERVER_API_MAX_BULK_ITEMS: '5',
      },
      [],
      90_000,
    );
    server = started.process;
    api = started.url;
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  const post = async (path: string, body: string): Promise<{ status: number; json: unknown }> => {
    const response = await fetch(`${api}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const text = await response.text();
    return { status: response.status, json: text === '' ? null : (JSON.parse(text) as unknown) };
  };

  /** A flow whose body holds exactly `values` values: name, labels and labels' members. */
  const flow = (values: number): string =>
    JSON.stringify({
      name: `wide-${values}`,
      labels: Object.fromEntries(Array.from({ length: values - 2 }, (_, i) => [`k${i}`, i])),
    });

  it('takes a body of PREFECT_SERVER_API_MAX_JSON_VALUES values and refuses one more with 422 naming it', async () => {
    expect((await post('/flows/', flow(50))).status).toBe(201);
    expect(await post('/flows/', flow(51))).toEqual({
      status: 422,
      json: {
        exception_message: 'Invalid request received.',
        exception_detail: [
          {
            type: 'json_too_large',
            loc: ['body'],
            msg: 'JSON holds more than 50 values (PREFECT_SERVER_API_MAX_JSON_VALUES)',
            input: null,
            ctx: { max_values: 50 },
          },
        ],
        request_body: null,
      },
    });
  });

  it('takes PREFECT_SERVER_API_MAX_BULK_ITEMS logs and refuses one more, on /logs/ and /events', async () => {
    const log = JSON.stringify({ name: 'x', level: 20, message: 'm', timestamp: '2026-01-01T00:00:00Z' });
    expect(await post('/logs/', `[${Array.from({ length: 5 }, () => log).join(',')}]`)).toEqual({
      status: 201,
      json: null,
    });
    const tooLong = {
      status: 422,
      json: {
        exception_message: 'Invalid request received.',
        exception_detail: [
          {
            type: 'too_long',
            loc: ['body'],
            msg: 'List should have at most 5 items (PREFECT_SERVER_API_MAX_BULK_ITEMS)',
            input: null,
            ctx: { field_type: 'List', max_length: 5 },
          },
        ],
        request_body: null,
      },
    };
    expect(await post('/logs/', `[${Array.from({ length: 6 }, () => log).join(',')}]`)).toEqual(tooLong);
    expect(await post('/events', `[${Array.from({ length: 6 }, () => '{}').join(',')}]`)).toEqual(tooLong);
    expect((await fetch(`${api}/health`)).status).toBe(200);
  });
});
