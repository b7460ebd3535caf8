import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiModule } from '../api.module';
import type { ApiOptions } from '../api-options';
import { createHttpApplication } from '../http/create-http-application';
import { DATABASE_PROBE } from '../root/ports';
import { FLOW_RUN_BODY } from './filter-bodies';
import { parseListBody } from './list-body.parser';

/** The seam as controllers use it: a raw @Body() (the global pipe leaves it alone) parsed by parseListBody. */
@Controller('probe_runs')
class ProbeController {
  @Post('filter')
  @HttpCode(200)
  filter(@Body() body: unknown): unknown {
    const request = parseListBody(FLOW_RUN_BODY, body, 200);
    return {
      sort: request.sort,
      limit: request.limit,
      offset: request.offset,
      keys: Object.keys(request).sort(),
    };
  }
}

const options: ApiOptions = {
  prefix: '/api',
  authString: null,
  csrfEnabled: false,
  csrfTokenExpirationSeconds: 3600,
  cors: { origins: '*', methods: '*', headers: '*' },
  bodyLimitBytes: 10_000,
  ui: { apiUrl: 'http://127.0.0.1:4200/api', enabled: true },
  accessLog: false,
  defaultLimit: 200,
};

describe('list bodies over HTTP', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    @Module({
      imports: [
        ApiModule.forRoot({
          options,
          providers: [{ provide: DATABASE_PROBE, useValue: { ping: () => Promise.resolve() } }],
        }),
      ],
      controllers: [ProbeController],
    })
    class TestRoot {}
    app = await createHttpApplication(TestRoot, options, { log() {}, error() {}, warn() {} });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  const post = (payload: unknown) =>
    app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: 'POST',
        url: '/api/probe_runs/filter',
        payload: JSON.stringify(payload),
        headers: { 'content-type': 'application/json' },
      });

  it('accepts a valid body and ignores unknown top-level keys', async () => {
    const response = await post({ limit: 5, offset: 2, sort: 'NAME_ASC', flow_runs: {}, not_a_key: 1 });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      sort: 'NAME_ASC',
      limit: 5,
      offset: 2,
      keys: ['flow_runs', 'limit', 'offset', 'sort'],
    });
  });

  it('answers an unknown filter key with the 422 validation shape', async () => {
    const body = { flow_runs: { state: { foo: 1 } } };
    const response = await post(body);
    expect(response.statusCode).toBe(422);
    expect(response.json()).toEqual({
      exception_message: 'Invalid request received.',
      exception_detail: [
        {
          type: 'extra_forbidden',
          loc: ['body', 'flow_runs', 'state', 'foo'],
          msg: 'Extra inputs are not permitted',
          input: 1,
        },
      ],
      request_body: body,
    });
  });

  it('answers an out-of-range limit with a detail', async () => {
    const response = await post({ limit: 201 });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toEqual({ detail: 'Invalid limit: must be less than or equal to 200.' });
  });
});
