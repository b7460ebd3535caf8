import { Body, Controller, Get, Module, Param, Post, Query } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ContractValidator } from '@orrery/testing';
import { IsInt, IsString } from 'class-validator';
import { ApiModule } from '../api.module';
import type { ApiOptions } from '../api-options';
import { DATABASE_PROBE, type DatabaseProbe } from '../root/ports';
import { createHttpApplication } from './create-http-application';

class EchoBody {
  @IsString() name!: string;
  @IsInt() count!: number;
}

@Controller('echo')
class EchoController {
  @Post()
  echo(@Body() body: EchoBody): EchoBody {
    return body;
  }

  @Get(':name')
  byName(@Param('name') name: string, @Query('q') q?: string): { name: string; q: string | null } {
    return { name, q: q ?? null };
  }
}

const baseOptions: ApiOptions = {
  prefix: '/api',
  authString: null,
  csrfEnabled: false,
  csrfTokenExpirationSeconds: 3600,
  cors: { origins: '*', methods: '*', headers: '*' },
  bodyLimitBytes: 1024,
  ui: { apiUrl: 'http://127.0.0.1:4200/api', enabled: true },
  accessLog: false,
  defaultLimit: 200,
};

async function start(
  options: Partial<ApiOptions> = {},
  probe?: DatabaseProbe,
): Promise<NestFastifyApplication> {
  const database: DatabaseProbe = probe ?? { ping: () => Promise.resolve() };
  @Module({
    imports: [
      ApiModule.forRoot({
        options: { ...baseOptions, ...options },
        providers: [{ provide: DATABASE_PROBE, useValue: database }],
      }),
    ],
    controllers: [EchoController],
  })
  class TestRoot {}
  const app = await createHttpApplication(
    TestRoot,
    { ...baseOptions, ...options },
    { log() {}, error() {}, warn() {} },
  );
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

describe('the api-gateway HTTP layer', () => {
  const contract = new ContractValidator();
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await start();
  });
  afterAll(() => app.close());

  const call = (
    method: 'GET' | 'POST',
    url: string,
    extra: { headers?: Record<string, string>; payload?: string } = {},
  ) =>
    app
      .getHttpAdapter()
      .getInstance()
      .inject({ method, url, ...extra });

  it.each([
    ['/api/health', '/health', true],
    ['/api/version', '/version', '0.8.4'],
    ['/api/admin/version', '/admin/version', '3.8.4'],
    ['/api/hello', '/hello', '👋'],
    ['/api/ready', '/ready', { message: 'OK' }],
  ])('GET %s answers as Prefect does and honours the contract', async (url, path, expected) => {
    const response = await call('GET', url);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.json()).toEqual(expected);
    contract.assert({ method: 'GET', path, status: 200, body: response.json() });
  });

  it('accepts a trailing slash', async () => {
    expect((await call('GET', '/api/health/')).json()).toBe(true);
  });

  it('answers unknown routes with 404 {"detail":"Not Found"}', async () => {
    const response = await call('GET', '/api/nonexistent');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ detail: 'Not Found' });
  });

  it('answers a known path with the wrong method with 405', async () => {
    const response = await call('POST', '/api/health');
    expect(response.statusCode).toBe(405);
    expect(response.json()).toEqual({ detail: 'Method Not Allowed' });
  });

  it('says CSRF protection is disabled with 422', async () => {
    const response = await call('GET', '/api/csrf-token?client=abc');
    expect(response.statusCode).toBe(422);
    expect(response.json()).toEqual({ detail: 'CSRF protection is disabled.' });
    contract.assert({ method: 'GET', path: '/csrf-token', status: 422, body: response.json() });
  });

  it('reports invalid bodies with 422, naming each bad field, and echoes the body', async () => {
    const response = await call('POST', '/api/echo', {
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ count: 'x' }),
    });
    expect(response.statusCode).toBe(422);
    const body = response.json();
    expect(body.exception_message).toBe('Invalid request received.');
    expect(body.request_body).toEqual({ count: 'x' });
    expect(body.exception_detail).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'missing', loc: ['body', 'name'], msg: 'Field required' }),
        expect.objectContaining({ type: 'int_type', loc: ['body', 'count'], input: 'x' }),
      ]),
    );
  });

  it('parses a JSON body sent without a Content-Type', async () => {
    const response = await call('POST', '/api/echo', { payload: JSON.stringify({ name: 'a', count: 1 }) });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ name: 'a', count: 1 });
  });

  it('answers malformed JSON with 422 json_invalid', async () => {
    const response = await call('POST', '/api/echo', {
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().exception_detail[0].type).toBe('json_invalid');
  });

  it('refuses bodies over the size limit with 413 naming the limit', async () => {
    const response = await call('POST', '/api/echo', {
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(2000), count: 1 }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({
      detail: 'Request body is larger than the limit of 1024 bytes (PREFECT_SERVER_API_MAX_BODY_SIZE)',
    });
  });

  it.each([
    ['arrays', `${'['.repeat(101)}${']'.repeat(101)}`],
    ['objects', `${'{"a":'.repeat(101)}1${'}'.repeat(101)}`],
    ['an unterminated nest', '['.repeat(500)],
  ])('refuses JSON nested deeper than the limit (%s) with 422 naming it', async (_what, payload) => {
    const response = await call('POST', '/api/echo', {
      headers: { 'content-type': 'application/json' },
      payload,
    });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toEqual({
      exception_message: 'Invalid request received.',
      exception_detail: [
        {
          type: 'json_too_deep',
          loc: ['body'],
          msg: 'JSON nesting is deeper than the limit of 100 (PREFECT_SERVER_API_MAX_JSON_DEPTH)',
          input: null,
          ctx: { max_depth: 100 },
        },
      ],
      request_body: null,
    });
  });

  it('accepts nesting up to the limit, brackets inside strings not counted', async () => {
    const nested = `${'['.repeat(99)}"[[[[{{{{"${']'.repeat(99)}`;
    const response = await call('POST', '/api/echo', {
      headers: { 'content-type': 'application/json' },
      payload: `{"name":"a","count":1,"extra":${nested}}`,
    });
    expect(response.statusCode).toBe(201);
  });

  it.each([
    ['a body string', '{"name":"a\\u0000b","count":1}', ['body', 'name']],
    ['a body key', '{"name":"a","count":1,"x":{"k\\u0000":1}}', ['body', 'x', 'k\u0000']],
    ['a nested array item', '{"name":"a","count":1,"x":[1,["ok","\\u0000"]]}', ['body', 'x', 1, 1]],
  ])('refuses a NUL character in %s with 422 naming the field', async (_what, payload, loc) => {
    const response = await call('POST', '/api/echo', {
      headers: { 'content-type': 'application/json' },
      payload,
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().exception_detail).toEqual([
      expect.objectContaining({ type: 'string_nul_character', loc }),
    ]);
  });

  it.each([
    ['{"name":"a","count":1,"x":{"constructor":{"prototype":{}}}}', ['body', 'x', 'constructor']],
    ['{"name":"a","count":1,"x":[{"\\u0063onstructor":1}]}', ['body', 'x', 0, 'constructor']],
    ['{"name":"a","count":1,"__proto__":{"polluted":true}}', ['body', '__proto__']],
  ])('refuses prototype keys with 422 naming them: %s', async (payload, loc) => {
    const response = await call('POST', '/api/echo', {
      headers: { 'content-type': 'application/json' },
      payload,
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().exception_detail).toEqual([
      expect.objectContaining({ type: 'key_forbidden', loc }),
    ]);
  });

  it('answers an unknown path holding a NUL with 404, not 422', async () => {
    expect((await call('GET', '/api%00/echo')).statusCode).toBe(404);
  });

  it('does not mistake an escaped backslash before u0000 for a NUL', async () => {
    const response = await call('POST', '/api/echo', {
      headers: { 'content-type': 'application/json' },
      payload: '{"name":"a\\\\u0000","count":1}',
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().name).toBe('a\\u0000');
  });

  it.each([
    ['/api/echo/a%00b', ['path', 'name']],
    ['/api/echo/a?q=x%00', ['query', 'q']],
    ['/api/echo/a?q=ok&q=%00', ['query', 'q', 1]],
  ])('refuses a NUL character in %s with 422 naming the parameter', async (url, loc) => {
    const response = await call('GET', url);
    expect(response.statusCode).toBe(422);
    expect(response.json().exception_detail).toEqual([
      expect.objectContaining({ type: 'string_nul_character', loc }),
    ]);
  });

  it.each([
    ['abc', "Invalid X-PREFECT-API-VERSION header format.Expected header in format 'x.y.z' but received abc"],
    ['0.7.9', 'The request specified API version 0.7.9 but this server requires version 0.8.0 or higher.'],
  ])('rejects X-PREFECT-API-VERSION %s with 400', async (version, detail) => {
    const response = await call('GET', '/api/hello', { headers: { 'x-prefect-api-version': version } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ detail });
    expect(
      (await call('GET', '/api/health', { headers: { 'x-prefect-api-version': version } })).statusCode,
    ).toBe(200);
  });

  it('answers CORS preflights', async () => {
    const response = await app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: 'OPTIONS',
        url: '/api/flows/filter',
        headers: { origin: 'http://ui.example', 'access-control-request-method': 'POST' },
      });
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe('*');
  });

  it('serves /ui-settings outside the API prefix', async () => {
    const response = await call('GET', '/ui-settings');
    expect(response.json()).toMatchObject({
      api_url: 'http://127.0.0.1:4200/api',
      csrf_enabled: false,
      auth: null,
    });
  });
});

describe('basic auth', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await start({ authString: 'admin:pass' });
  });
  afterAll(() => app.close());
  const get = (url: string, headers: Record<string, string> = {}) =>
    app.getHttpAdapter().getInstance().inject({ method: 'GET', url, headers });

  it('guards the API', async () => {
    const response = await get('/api/hello');
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ exception_message: 'Unauthorized' });
    expect(
      (await get('/api/hello', { authorization: 'Basic ' + Buffer.from('admin:wrong').toString('base64') }))
        .statusCode,
    ).toBe(401);
  });

  it('lets the right credentials through', async () => {
    const response = await get('/api/hello', {
      authorization: 'Basic ' + Buffer.from('admin:pass').toString('base64'),
    });
    expect(response.statusCode).toBe(200);
  });

  it('leaves health and ready open', async () => {
    expect((await get('/api/health')).statusCode).toBe(200);
    expect((await get('/api/ready')).statusCode).toBe(200);
  });

  it('tells the UI that it must authenticate', async () => {
    expect((await get('/ui-settings')).json().auth).toBe('BASIC');
  });
});

describe('readiness', () => {
  it('answers 503 while the database cannot be reached', async () => {
    const app = await start({}, { ping: () => Promise.reject(new Error('ECONNREFUSED')) });
    try {
      const response = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/api/ready' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({ message: 'Database is not available' });
    } finally {
      await app.close();
    }
  });
});

describe('the value budget of JSON bodies (PREFECT_SERVER_API_MAX_JSON_VALUES)', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await start({ maxJsonValues: 10, bodyLimitBytes: 1024 * 1024 });
  });
  afterAll(() => app.close());
  const post = (payload: string) =>
    app
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'POST', url: '/api/echo', headers: { 'content-type': 'application/json' }, payload });

  it('refuses a body with more values than allowed with 422 naming the limit', async () => {
    // 3 members + 8 elements = 11 values.
    const response = await post('{"name":"a","count":1,"x":[1,2,3,4,5,6,7,8]}');
    expect(response.statusCode).toBe(422);
    expect(response.json().exception_detail).toEqual([
      {
        type: 'json_too_large',
        loc: ['body'],
        msg: 'JSON holds more than 10 values (PREFECT_SERVER_API_MAX_JSON_VALUES)',
        input: null,
        ctx: { max_values: 10 },
      },
    ]);
  });

  it('takes exactly the limit: members and elements at any depth, not brackets or commas in strings, not empty containers', async () => {
    // name, count, x; x[0], x[1], x[1].y, x[2], x[3], x[4], x[4][0] = 10 (x[1].y and x[2] are empty).
    const response = await post(
      '{ "name" : "[{,,]}" , "count":1, "x": [ 1 , { "y": [ ] }, [ ], " , ", [ { } ] ] }',
    );
    expect(response.statusCode).toBe(201);
    // One more member anywhere is one too many.
    const more = await post('{"name":"a","count":1,"x":[1,{"y":[],"z":null},[]," , ",[{}]]}');
    expect(more.statusCode).toBe(422);
  });

  it('refuses a large body while it arrives, however it is nested', async () => {
    const response = await post(`[${'[[1]],'.repeat(100_000)}1]`);
    expect(response.statusCode).toBe(422);
    expect(response.json().exception_detail[0].type).toBe('json_too_large');
  });
});
