import { Body, Controller, Module, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Instant, uuid4 } from '@orrery/domain';
import { ApiModule } from '../api.module';
import type { ApiOptions } from '../api-options';
import { CSRF_TOKEN_STORE, type CsrfTokenRecord, type CsrfTokenStore, DATABASE_PROBE } from '../root/ports';
import { createHttpApplication } from './create-http-application';

@Controller('things')
class ThingsController {
  @Post()
  create(@Body() body: unknown): unknown {
    return body;
  }
}

/** The store port, kept in memory: this suite is about the HTTP rule, not the SQL behind it. */
class MemoryCsrfStore implements CsrfTokenStore {
  readonly tokens = new Map<string, CsrfTokenRecord>();
  issue(client: string, expiresInSeconds: number): Promise<CsrfTokenRecord> {
    const now = Instant.now();
    const record = {
      id: this.tokens.get(client)?.id ?? uuid4(),
      created: now,
      updated: now,
      token: uuid4(),
      client,
      expiration: now.plusSeconds(expiresInSeconds),
    };
    this.tokens.set(client, record);
    return Promise.resolve(record);
  }
  isValid(client: string, token: string): Promise<boolean> {
    const record = this.tokens.get(client);
    return Promise.resolve(
      record !== undefined && record.token === token && record.expiration.isAfter(Instant.now()),
    );
  }
}

const options: ApiOptions = {
  prefix: '/api',
  authString: null,
  csrfEnabled: true,
  csrfTokenExpirationSeconds: 3600,
  cors: { origins: '*', methods: '*', headers: '*' },
  bodyLimitBytes: 1 << 20,
  ui: { apiUrl: 'http://127.0.0.1:4200/api', enabled: true },
  accessLog: false,
  defaultLimit: 200,
};

describe('CSRF protection', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    @Module({
      imports: [
        ApiModule.forRoot({
          options,
          providers: [
            { provide: DATABASE_PROBE, useValue: { ping: () => Promise.resolve() } },
            { provide: CSRF_TOKEN_STORE, useValue: new MemoryCsrfStore() },
          ],
        }),
      ],
      controllers: [ThingsController],
    })
    class Root {}
    app = await createHttpApplication(Root, options, { log() {}, error() {}, warn() {} });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  const post = (headers: Record<string, string>) =>
    app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: 'POST',
        url: '/api/things',
        headers: { 'content-type': 'application/json', ...headers },
        payload: '{}',
      });

  it('asks for a token, then a client, then refuses a wrong pair', async () => {
    expect((await post({})).json()).toEqual({ detail: 'Missing CSRF token.' });
    expect((await post({ 'prefect-csrf-token': 'x' })).json()).toEqual({
      detail: 'Missing client identifier.',
    });
    const invalid = await post({ 'prefect-csrf-token': 'x', 'prefect-csrf-client': 'c' });
    expect(invalid.statusCode).toBe(403);
    expect(invalid.json()).toEqual({ detail: 'Invalid CSRF token or client identifier.' });
    expect(invalid.headers['access-control-allow-origin']).toBe('*');
  });

  it('lets a request with a freshly issued token through, and keeps reads open', async () => {
    const issued = await app
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'GET', url: '/api/csrf-token?client=c1' });
    expect(issued.statusCode).toBe(200);
    const { token, client } = issued.json<{ token: string; client: string }>();
    expect(client).toBe('c1');
    expect((await post({ 'prefect-csrf-token': token, 'prefect-csrf-client': 'c1' })).statusCode).toBe(201);
    expect((await post({ 'prefect-csrf-token': token, 'prefect-csrf-client': 'c2' })).statusCode).toBe(403);
  });

  it('requires the client parameter when issuing', async () => {
    const response = await app
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'GET', url: '/api/csrf-token' });
    expect(response.statusCode).toBe(422);
    expect(response.json().exception_detail[0]).toMatchObject({ type: 'missing', loc: ['query', 'client'] });
  });
});
