import { request as httpRequest, Agent } from 'node:http';
import { Body, Controller, Module, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Type } from 'class-transformer';
import { IsArray, IsInt, IsObject, IsString, ValidateNested } from 'class-validator';
import { RequestValidationError } from '@orrery/domain';
import { ApiModule } from '../api.module';
import type { ApiOptions } from '../api-options';
import { AbsentAllowed } from '../common/validators';
import { DATABASE_PROBE } from '../root/ports';
import { createHttpApplication } from './create-http-application';
import { JsonDepthScanner, parseJsonArrayInSlices } from './json-body.parser';

/*
 * The two body limits (PREFECT_SERVER_API_MAX_BODY_SIZE for ordinary routes and each bulk item,
 * PREFECT_SERVER_API_MAX_BULK_BODY_SIZE for `POST /logs/` and `POST /events`), the value limit
 * (PREFECT_SERVER_API_MAX_JSON_VALUES, per body or bulk item) and the bulk item limit
 * (PREFECT_SERVER_API_MAX_BULK_ITEMS), the bulk routes' element-by-element parsing that yields to
 * the event loop, and the validation pipe's linear path for free-form JSON. Stub controllers stand in for the real bulk routes (the parsing is the HTTP
 * layer's, keyed on the route).
 */

class Inner {
  @IsInt() n!: number;
}

class Wide {
  @IsString() name!: string;
  @AbsentAllowed() @IsArray() @IsString({ each: true }) tags: string[] = [];
  @AbsentAllowed() @IsObject() parameters: Record<string, unknown> = {};
  @AbsentAllowed() @ValidateNested() @Type(() => Inner) inner?: Inner;
  @AbsentAllowed() @ValidateNested({ each: true }) @Type(() => Inner) inners?: Inner[];
}

/** What the server saw of the one large bulk request of the health test. */
const probe = { watching: false, bodyReceived: false, handled: false, healthDuringParse: 0 };

@Controller()
class StubController {
  @Post('wide')
  wide(@Body() body: Wide): object {
    return {
      isWide: body instanceof Wide,
      keys: Object.keys(body).sort(),
      tags: body.tags.length,
      parameterKeys: Object.keys(body.parameters).length,
      innerIsInner: body.inner === undefined ? null : body.inner instanceof Inner,
      inners: body.inners?.map((i) => i instanceof Inner && Object.keys(i)) ?? null,
    };
  }

  @Post('logs')
  logs(@Body() body: unknown): object {
    if (probe.bodyReceived) probe.handled = true;
    return { items: Array.isArray(body) ? body.length : null };
  }

  @Post('events')
  events(@Body() body: unknown): object {
    const first: unknown = Array.isArray(body) ? body[0] : undefined;
    if (typeof first === 'object' && first !== null && 'bad' in first) {
      throw new RequestValidationError([
        { type: 'value_error', loc: ['body', 0], msg: 'bad', input: first },
        { type: 'int_type', loc: ['body', 0, 'bad'], msg: 'bad', input: 'x' },
      ]);
    }
    return { items: Array.isArray(body) ? body.length : null };
  }
}

const KB = 1024;
const options: ApiOptions = {
  prefix: '/api',
  authString: null,
  csrfEnabled: false,
  csrfTokenExpirationSeconds: 3600,
  cors: { origins: '*', methods: '*', headers: '*' },
  bodyLimitBytes: 16 * KB * KB,
  maxBodyBytes: 64 * KB,
  maxJsonValues: 8_000,
  maxBulkItems: 60_000,
  ui: { apiUrl: 'http://127.0.0.1:4200/api', enabled: false },
  accessLog: false,
  defaultLimit: 200,
};

async function start(): Promise<NestFastifyApplication> {
  @Module({
    imports: [
      ApiModule.forRoot({
        options,
        providers: [{ provide: DATABASE_PROBE, useValue: { ping: () => Promise.resolve() } }],
      }),
    ],
    controllers: [StubController],
  })
  class TestRoot {}
  const app = await createHttpApplication(TestRoot, options, { log() {}, error() {}, warn() {} });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, _reply, next) => {
      if (probe.watching && request.url.startsWith('/api/logs')) {
        request.raw.once('end', () => (probe.bodyReceived = true));
      }
      if (request.url === '/api/health' && probe.bodyReceived && !probe.handled) probe.healthDuringParse++;
      next();
    });
  await app.listen(0, '127.0.0.1');
  return app;
}

const log = (i: number, pad = 0): string =>
  JSON.stringify({
    name: 'prefect.flow_runs',
    level: 20,
    message: `line ${i} of an ordinary log${' '.repeat(pad)}`,
    timestamp: '2026-01-01T00:00:00Z',
  });

// Bodies of up to 16 MiB on a machine shared with other test runs: generous per-test time.
jest.setTimeout(120_000);

describe('request body limits', () => {
  let app: NestFastifyApplication;
  let port: number;
  const agent = new Agent({ keepAlive: true });
  beforeAll(async () => {
    app = await start();
    port = (app.getHttpServer().address() as { port: number }).port;
  });
  afterAll(async () => {
    agent.destroy();
    await app.close();
  });

  /** A real HTTP request (chunked when `chunked`); `sent` resolves once the body is written. */
  function send(
    path: string,
    body?: string,
    chunked = false,
  ): { sent: Promise<void>; answer: Promise<{ status: number; json: unknown }> } {
    let markSent: () => void = () => undefined;
    const sent = new Promise<void>((resolve) => (markSent = resolve));
    const answer = new Promise<{ status: number; json: unknown }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path,
          agent,
          method: body === undefined ? 'GET' : 'POST',
          headers:
            body === undefined
              ? {}
              : chunked
                ? { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }
                : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({
              status: res.statusCode ?? 0,
              json: text === '' ? null : (JSON.parse(text) as unknown),
            });
          });
        },
      );
      req.on('error', reject);
      req.on('finish', () => markSent());
      if (chunked && body !== undefined) {
        for (let i = 0; i < body.length; i += 16 * KB) req.write(body.slice(i, i + 16 * KB));
        req.end();
      } else {
        req.end(body);
      }
    });
    return { sent, answer };
  }
  const post = (path: string, body: string, chunked = false) => send(path, body, chunked).answer;

  it('refuses an ordinary body over PREFECT_SERVER_API_MAX_BODY_SIZE with 413 naming it, declared or streamed', async () => {
    const body = JSON.stringify({ name: 'x'.repeat(64 * KB) });
    for (const chunked of [false, true]) {
      expect(await post('/api/wide', body, chunked)).toEqual({
        status: 413,
        json: {
          detail: 'Request body is larger than the limit of 65536 bytes (PREFECT_SERVER_API_MAX_BODY_SIZE)',
        },
      });
    }
  });

  it('takes a bulk body over the ordinary limit, element by element, the value limit per element', async () => {
    const items = Array.from({ length: 20_000 }, (_, i) => log(i));
    const body = `[${items.join(',')}]`;
    expect(body.length).toBeGreaterThan(20 * 64 * KB);
    expect(await post('/api/logs/', body, true)).toEqual({ status: 201, json: { items: 20_000 } });
    expect(await post('/api/events', ` [ ${items.slice(0, 3).join(' , ')} ] `)).toEqual({
      status: 201,
      json: { items: 3 },
    });
    expect(await post('/api/logs', '[ ]')).toEqual({ status: 201, json: { items: 0 } });
  });

  it('refuses a bulk body over PREFECT_SERVER_API_MAX_BULK_BODY_SIZE, naming it', async () => {
    const body = `[${Array.from({ length: 40_000 }, (_, i) => log(i, 400)).join(',')}]`;
    expect(body.length).toBeGreaterThan(16 * KB * KB);
    expect(await post('/api/logs/', body, true)).toEqual({
      status: 413,
      json: {
        detail:
          'Request body is larger than the limit of 16777216 bytes (PREFECT_SERVER_API_MAX_BULK_BODY_SIZE)',
      },
    });
  });

  it('refuses a bulk item over the ordinary limit, and a bulk body that is no array over it', async () => {
    const big = JSON.stringify({ message: 'x'.repeat(64 * KB) });
    expect(await post('/api/logs/', `[${log(0)},${big}]`)).toEqual({
      status: 413,
      json: {
        detail:
          'Item 1 of the request body is larger than the limit of 65536 bytes (PREFECT_SERVER_API_MAX_BODY_SIZE)',
      },
    });
    expect((await post('/api/events', big)).status).toBe(413);
    expect(await post('/api/events', JSON.stringify({ message: 'small' }))).toEqual({
      status: 201,
      json: { items: null },
    });
  });

  it('echoes a small bulk body in its 422, not one over the ordinary limit (nor its items’ objects)', async () => {
    const small = await post('/api/events', `[{"bad":"x"},${log(0)}]`);
    expect(small.status).toBe(422);
    expect(small.json).toMatchObject({
      exception_detail: [{ input: { bad: 'x' } }, { input: 'x' }],
      request_body: [{ bad: 'x' }, expect.any(Object)],
    });
    const items = Array.from({ length: 2_000 }, (_, i) => log(i));
    const large = await post('/api/events', `[{"bad":"x"},${items.join(',')}]`);
    expect(large.status).toBe(422);
    expect(large.json).toMatchObject({
      exception_detail: [{ input: null }, { input: 'x' }],
      request_body: null,
    });
  });

  it.each([['[1,,2]'], ['[1,]'], ['[,1]'], ['[1] 2'], ['x [1]'], ['[1'], ['[{"a":1]']])(
    'answers the malformed bulk body %s with 422 json_invalid',
    async (body) => {
      const answer = await post('/api/events', body);
      expect(answer.status).toBe(422);
      expect((answer.json as { exception_detail: { type: string }[] }).exception_detail[0]?.type).toBe(
        'json_invalid',
      );
    },
  );

  it('refuses NUL in a bulk item by its index (events), keeps it for logs', async () => {
    const nul = JSON.stringify({ message: 'a\u0000b' });
    const events = await post('/api/events', `[${log(0)},${nul}]`);
    expect(events.status).toBe(422);
    expect((events.json as { exception_detail: { loc: unknown[] }[] }).exception_detail[0]?.loc).toEqual([
      'body',
      1,
      'message',
    ]);
    expect(await post('/api/logs/', `[${log(0)},${nul}]`)).toEqual({ status: 201, json: { items: 2 } });
  });

  it('refuses a bulk item with more values than PREFECT_SERVER_API_MAX_JSON_VALUES, naming the item and the limit', async () => {
    const wide = JSON.stringify({ x: Array.from({ length: 8_000 }, () => []) });
    const refused = await post('/api/logs/', `[${log(0)},${wide}]`);
    expect(refused).toEqual({
      status: 422,
      json: {
        exception_message: 'Invalid request received.',
        exception_detail: [
          {
            type: 'json_too_large',
            loc: ['body', 1],
            msg: 'JSON holds more than 8000 values (PREFECT_SERVER_API_MAX_JSON_VALUES)',
            input: null,
            ctx: { max_values: 8000 },
          },
        ],
        request_body: null,
      },
    });
    // The limit is per item: many items of many values each are taken.
    const items = Array.from({ length: 4 }, () =>
      JSON.stringify({ x: Array.from({ length: 7_000 }, () => 1) }),
    );
    expect(await post('/api/events', `[${items.join(',')}]`)).toEqual({ status: 201, json: { items: 4 } });
  });

  it('refuses a bulk body with more items than PREFECT_SERVER_API_MAX_BULK_ITEMS as it arrives, naming the limit', async () => {
    for (const path of ['/api/logs/', '/api/events']) {
      expect(await post(path, `[${'{},'.repeat(60_000)}{}]`, true)).toEqual({
        status: 422,
        json: {
          exception_message: 'Invalid request received.',
          exception_detail: [
            {
              type: 'too_long',
              loc: ['body'],
              msg: 'List should have at most 60000 items (PREFECT_SERVER_API_MAX_BULK_ITEMS)',
              input: null,
              ctx: { field_type: 'List', max_length: 60000 },
            },
          ],
          request_body: null,
        },
      });
    }
    expect(await post('/api/logs/', `[${'{},'.repeat(59_999)}{}]`)).toEqual({
      status: 201,
      json: { items: 60_000 },
    });
  });

  it('does not echo a bulk body holding more values than one ordinary body may in its 422', async () => {
    const item = JSON.stringify({ bad: 'x', x: Array.from({ length: 3_000 }, () => 1) });
    const answer = await post('/api/events', `[${item},${item},${item}]`);
    expect(answer.status).toBe(422);
    expect(answer.json).toMatchObject({
      exception_detail: [{ input: null }, { input: 'x' }],
      request_body: null,
    });
  });

  it('answers /api/health while a large bulk body is being parsed', async () => {
    const body = `[${Array.from({ length: 60_000 }, (_, i) => log(i)).join(',')}]`;
    probe.watching = true;
    const big = send('/api/logs/', body);
    let done = false;
    const answer = big.answer.finally(() => (done = true));
    await big.sent;
    // Polled until the bulk answer arrives; the server counts the health requests it took between
    // the bulk body's last byte and its handler — the parse left the event loop free meanwhile.
    while (!done) {
      const health = await send('/api/health').answer;
      expect(health).toEqual({ status: 200, json: true });
    }
    probe.watching = false;
    expect(await answer).toEqual({ status: 201, json: { items: 60_000 } });
    expect(probe.handled).toBe(true);
    expect(probe.healthDuringParse).toBeGreaterThan(0);
  });

  it('validates a DTO whose free-form and unknown properties hold thousands of keys, nested DTOs still typed', async () => {
    const many = Object.fromEntries(Array.from({ length: 1_500 }, (_, i) => [`k${i}`, i]));
    const answer = await post(
      '/api/wide',
      JSON.stringify({
        name: 'w',
        junk: many,
        parameters: many,
        tags: ['a', 'b'],
        inner: { n: 1, extra: many },
        inners: [{ n: 2, extra: 1 }],
      }),
    );
    expect(answer).toEqual({
      status: 201,
      json: {
        isWide: true,
        keys: ['inner', 'inners', 'name', 'parameters', 'tags'],
        tags: 2,
        parameterKeys: 1_500,
        innerIsInner: true,
        inners: [['n']],
      },
    });
    // A large body (more than LARGE_BODY_VALUES) takes the path that yields between its steps.
    const wide = Object.fromEntries(Array.from({ length: 6_000 }, (_, i) => [`k${i}`, 0]));
    expect(
      await post('/api/wide', JSON.stringify({ name: 'w', parameters: wide, inner: { n: 3 } })),
    ).toMatchObject({
      status: 201,
      json: { isWide: true, parameterKeys: 6_000, innerIsInner: true },
    });
    const invalid = await post('/api/wide', JSON.stringify({ name: 'w', tags: ['a', 3], inner: { n: 'x' } }));
    expect(invalid.status).toBe(422);
    expect(
      (invalid.json as { exception_detail: { loc: unknown[] }[] }).exception_detail.map((d) => d.loc),
    ).toEqual([
      ['body', 'tags'],
      ['body', 'inner', 'n'],
    ]);
  });
});

describe('parseJsonArrayInSlices', () => {
  const parse = async (text: string) => {
    const scanner = new JsonDepthScanner(100, 1000, true);
    const buffer = Buffer.from(text, 'utf8');
    expect(scanner.feed(buffer)).toBeNull();
    return parseJsonArrayInSlices(buffer, scanner, {
      allowNul: false,
      maxItemBytes: 1024,
      itemTooLarge: (i) => new Error(`item ${i}`),
    });
  };

  it('parses the elements of any array, strings with brackets and commas included', async () => {
    expect(await parse('[1, "a,]", {"b":[1,2]}, [3,[4]], null, "é,"]')).toEqual([
      1,
      'a,]',
      { b: [1, 2] },
      [3, [4]],
      null,
      'é,',
    ]);
  });

  it('gives the event loop turns while it parses a large array', async () => {
    const text = `[${Array.from({ length: 200_000 }, (_, i) => `{"i":${i},"s":"${'x'.repeat(20)}"}`).join(',')}]`;
    let turns = 0;
    let spinning = true;
    const spin = (): void => {
      turns++;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    const items = await parse(text);
    spinning = false;
    expect(items).toHaveLength(200_000);
    expect(turns).toBeGreaterThan(0);
  });
});

describe('parseJsonArrayInSlices with few large items', () => {
  it('gives the event loop a turn between large items, not only every so many items', async () => {
    const item = (n: number) =>
      `{${Array.from({ length: 60_000 }, (_, i) => `"i${n}k${i}":${i}`).join(',')}}`;
    const text = `[${[0, 1, 2, 3].map(item).join(',')}]`;
    const scanner = new JsonDepthScanner(100, Infinity, true);
    const buffer = Buffer.from(text, 'utf8');
    expect(scanner.feed(buffer)).toBeNull();
    let turns = 0;
    let spinning = true;
    const spin = (): void => {
      turns++;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    const items = await parseJsonArrayInSlices(buffer, scanner, {
      allowNul: false,
      maxItemBytes: buffer.length,
      itemTooLarge: (i) => new Error(`item ${i}`),
    });
    spinning = false;
    expect(items).toHaveLength(4);
    expect(turns).toBeGreaterThan(0);
  });
});

describe('JsonDepthScanner: values and items', () => {
  /** Feeds `text` one byte at a time (every state crosses a chunk boundary); the error type or null. */
  const scan = (scanner: JsonDepthScanner, text: string): string | null => {
    const bytes = Buffer.from(text, 'utf8');
    for (let i = 0; i < bytes.length; i++) {
      const refused = scanner.feed(bytes.subarray(i, i + 1));
      if (refused !== null) return `${refused.issues[0]?.type} ${JSON.stringify(refused.issues[0]?.loc)}`;
    }
    return null;
  };

  it('counts object members and array elements at any depth, nothing inside strings, empty containers as nothing', () => {
    const scanner = new JsonDepthScanner(100);
    expect(
      scan(scanner, '{"a":[1, -2.5e3 ,true,null,"x\\",]{"],"b":{ },"c":[ [ ] ],"d":{"e":"é"}}'),
    ).toBeNull();
    // a, 1, -2.5e3, true, null, "x…", b, c, [ ], d, e
    expect(scanner.valueCount).toBe(11);
    expect(scan(new JsonDepthScanner(100, 10), '{"a":[1,2,3,4,5,6,7,8,9,0]}')).toBe(
      'json_too_large ["body"]',
    );
    expect(scan(new JsonDepthScanner(100, 10), '{"a":[1,2,3,4,5,6,7,8,9]}')).toBeNull();
  });

  it('holds the value limit per element of a bulk body, naming the element, and counts the whole body too', () => {
    const scanner = new JsonDepthScanner(100, 3, true);
    expect(scan(scanner, '[ {"a":1,"b":2}, [1,2,3], "x" ]')).toBeNull();
    expect(scanner.totalValueCount).toBe(5);
    expect(scan(new JsonDepthScanner(100, 3, true), '[[1],[1,2,3,4]]')).toBe('json_too_large ["body",1]');
  });

  it('refuses a bulk body with more elements than maxItems, commas inside elements not counted', () => {
    expect(scan(new JsonDepthScanner(100, 10, true, 3), '[[1,2],{"a":",,"},3]')).toBeNull();
    expect(scan(new JsonDepthScanner(100, 10, true, 3), '[1,2,3,4]')).toBe('too_long ["body"]');
  });
});
