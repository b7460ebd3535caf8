import { Body, Controller, Module, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsString } from 'class-validator';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiModule } from '../api.module';
import type { ApiOptions } from '../api-options';
import { createHttpApplication } from '../http/create-http-application';
import { DATABASE_PROBE } from '../root/ports';

class GreetingDto {
  @IsString() name!: string;
}

@Controller('greetings')
class GreetingController {
  @Post()
  greet(@Body() body: GreetingDto): string {
    return body.name;
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

async function start(options: Partial<ApiOptions> = {}): Promise<NestFastifyApplication> {
  const all = { ...baseOptions, ...options };
  @Module({
    imports: [
      ApiModule.forRoot({
        options: all,
        providers: [{ provide: DATABASE_PROBE, useValue: { ping: () => Promise.resolve() } }],
      }),
    ],
    controllers: [GreetingController],
  })
  class TestRoot {}
  const app = await createHttpApplication(TestRoot, all, { log() {}, error() {}, warn() {} });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

const get = (app: NestFastifyApplication, url: string, headers: Record<string, string> = {}) =>
  app.getHttpAdapter().getInstance().inject({ method: 'GET', url, headers });

describe('the API documents itself at /api/openapi.json and /api/docs', () => {
  let app: NestFastifyApplication;
  let uiBuild: string;

  beforeAll(async () => {
    // a UI build, so its history fallback (index.html for unknown paths) is installed too
    uiBuild = mkdtempSync(join(tmpdir(), 'orrery-docs-ui-'));
    mkdirSync(join(uiBuild, 'build'));
    writeFileSync(join(uiBuild, 'build', 'index.html'), '<html>the UI</html>');
    app = await start({
      ui: {
        ...baseOptions.ui,
        buildDirectory: join(uiBuild, 'build'),
        staticDirectory: join(uiBuild, 'static'),
      },
    });
  });
  afterAll(async () => {
    await app.close();
    rmSync(uiBuild, { recursive: true, force: true });
  });

  it('serves the generated document, with the controllers and DTOs of this application', async () => {
    const response = await get(app, '/api/openapi.json');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const document = response.json();
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([{ url: '/api' }]);
    expect(document.paths['/greetings'].post.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/GreetingDto',
    });
    expect(document.components.schemas.GreetingDto).toEqual({
      type: 'object',
      properties: { name: { type: 'string' } },
      required: ['name'],
    });
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/health', '/version']));
  });

  it.each([
    ['/api/docs', './docs/', './openapi.json'],
    ['/api/docs/', './', '../openapi.json'],
  ])('serves Swagger UI at %s, every file from this server', async (url, assets, documentUrl) => {
    const response = await get(app, url);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    const html = response.body;
    expect(html).not.toContain('the UI'); // not the UI's history fallback
    expect(html).toContain(`<script src="${assets}swagger-ui-bundle.js"></script>`);
    expect(html).toContain(`url: "${documentUrl}"`);
    expect(html).toContain('validatorUrl: null');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//); // no CDN
    for (const [, asset] of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
      const resolved = new URL(asset as string, `http://orrery${url}`).pathname;
      const file = await get(app, resolved);
      expect([resolved, file.statusCode]).toEqual([resolved, 200]);
      expect(file.body.length).toBeGreaterThan(100);
    }
  });

  it('leaves unknown paths under /api/docs to the API 404', async () => {
    const response = await get(app, '/api/docs/nonexistent.js');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ detail: 'Not Found' });
  });
});

describe('the self-documentation with PREFECT_SERVER_API_AUTH_STRING', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await start({ authString: 'admin:secret' });
  });
  afterAll(() => app.close());

  it.each(['/api/openapi.json', '/api/docs', '/api/docs/', '/api/docs/swagger-ui-bundle.js'])(
    '%s asks for the credentials like every API route',
    async (url) => {
      expect((await get(app, url)).statusCode).toBe(401);
      const wrong = `Basic ${Buffer.from('admin:wrong').toString('base64')}`;
      expect((await get(app, url, { authorization: wrong })).statusCode).toBe(401);
      const right = `Basic ${Buffer.from('admin:secret').toString('base64')}`;
      expect((await get(app, url, { authorization: right })).statusCode).toBe(200);
    },
  );

  it('still answers health without credentials', async () => {
    expect((await get(app, '/api/health')).statusCode).toBe(200);
  });
});
