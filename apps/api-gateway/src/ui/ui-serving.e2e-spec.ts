import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  browserUnavailableReason,
  type OrreryProcess,
  PageProblems,
  startOrreryServer,
  TestBrowser,
} from '@orrery/testing';

/** Migrating a fresh PGlite and preparing the UI take a while on a busy shared machine. */
const STARTUP_MS = 150_000;

// How the api-gateway serves the UI: under a serve base, templated into the static directory, with
// cache headers and compression, behind the login page when an auth string is set — and not at all
// when PREFECT_UI_ENABLED is off, while the API keeps answering.
describe('serving the web UI', () => {
  const homes: string[] = [];
  const servers: OrreryProcess[] = [];

  async function start(env: Record<string, string>): Promise<{ origin: string; api: string; home: string }> {
    const home = mkdtempSync(join(tmpdir(), 'orrery-ui-serving-'));
    homes.push(home);
    const { process, url } = await startOrreryServer({ PREFECT_HOME: home, ...env }, [], STARTUP_MS);
    servers.push(process);
    return { origin: url.replace(/\/api$/, ''), api: url, home };
  }

  afterAll(async () => {
    for (const server of servers) await server.stop();
    for (const home of homes) rmSync(home, { recursive: true, force: true });
  });

  it('with PREFECT_UI_ENABLED=false, / answers 404 and the API still works', async () => {
    const { origin, api } = await start({ PREFECT_UI_ENABLED: 'false' });
    expect((await fetch(`${origin}/`)).status).toBe(404);
    expect((await fetch(`${origin}/dashboard`)).status).toBe(404);
    expect(await (await fetch(`${api}/health`)).json()).toBe(true);
    const settings = (await (await fetch(`${origin}/ui-settings`)).json()) as { available_uis: string[] };
    expect(settings.available_uis).toEqual([]);
  }, 200_000);

  describe('under a serve base, with an auth string', () => {
    let origin: string;
    let api: string;
    let staticDirectory: string;

    beforeAll(async () => {
      staticDirectory = mkdtempSync(join(tmpdir(), 'orrery-ui-static-'));
      homes.push(staticDirectory);
      ({ origin, api } = await start({
        PREFECT_UI_SERVE_BASE: '/orrery-ui',
        PREFECT_SERVER_UI_STATIC_DIRECTORY: staticDirectory,
        PREFECT_SERVER_API_AUTH_STRING: 'admin:s3cret',
      }));
    }, 200_000);

    it('copies the build into <static dir>/v1 with the base written into it', () => {
      const index = readFileSync(join(staticDirectory, 'v1', 'index.html'), 'utf8');
      expect(index).toContain('/orrery-ui/assets/');
      expect(index).not.toContain('ORRERY_UI_SERVE_BASE_PLACEHOLDER');
      expect(readFileSync(join(staticDirectory, 'v1', 'UI_SERVE_BASE'), 'utf8')).toMatch(/:\/orrery-ui$/);
      expect(existsSync(join(staticDirectory, 'v1', 'index.html.br'))).toBe(false); // too small to pay
    });

    it('serves index.html for every UI path, hashed assets cached for a year and compressed', async () => {
      const index = await fetch(`${origin}/orrery-ui/runs/flow-run/anything`);
      expect(index.status).toBe(200);
      expect(index.headers.get('cache-control')).toBe('no-cache');
      const html = await index.text();
      const script = /src="(\/orrery-ui\/assets\/index-[^"]+\.js)"/.exec(html)?.[1];
      expect(script).toBeDefined();
      const asset = await fetch(`${origin}${script}`, { headers: { 'accept-encoding': 'br' } });
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(asset.headers.get('content-encoding')).toBe('br');
      expect(asset.headers.get('content-type')).toMatch(/javascript/);
      expect((await fetch(`${origin}/orrery-ui/assets/missing-0000.js`)).status).toBe(404);
      expect((await fetch(`${origin}/`)).status).toBe(404);
    });

    it('answers ui-settings under the base, asking for basic auth', async () => {
      const settings = (await (await fetch(`${origin}/orrery-ui/ui-settings`)).json()) as Record<
        string,
        unknown
      >;
      expect(settings).toMatchObject({ auth: 'BASIC', api_url: api, v1_base_url: '/orrery-ui' });
    });

    it('keeps the API behind the auth string, the UI files public', async () => {
      const json = { 'content-type': 'application/json' };
      const refused = await fetch(`${api}/flows/filter`, { method: 'POST', body: '{}', headers: json });
      expect(refused.status).toBe(401);
      const unknown = await fetch(`${api}/no-such-resource`);
      expect(unknown.status).toBe(401);
      const allowed = await fetch(`${api}/flows/filter`, {
        method: 'POST',
        body: '{}',
        headers: { ...json, authorization: `Basic ${Buffer.from('admin:s3cret').toString('base64')}` },
      });
      expect(allowed.status).toBe(200);
      expect((await fetch(`${origin}/orrery-ui/`)).status).toBe(200);
    });

    const unavailable = browserUnavailableReason();
    // eslint-disable-next-line no-restricted-properties -- skipped only when a dependency is absent, with the reason printed
    (unavailable === null ? it : it.skip)(
      'asks for the credentials in the browser, then works',
      async () => {
        const browser = await TestBrowser.launch();
        try {
          const page = await browser.context.newPage();
          const problems = new PageProblems(page, origin);
          await page.goto(`${origin}/orrery-ui/flows`);
          await page.getByText('Log in to Orrery').waitFor({ timeout: 20_000 });
          expect(page.url()).toContain('/orrery-ui/login');
          await page.locator('input[name="credentials"]').fill('admin:s3cret');
          await page.getByRole('button', { name: 'Log in' }).click();
          await page.getByText('Run a flow to get started').first().waitFor({ timeout: 20_000 });
          expect(page.url()).toContain('/orrery-ui/flows');
          await problems.apiIdle();
          expect(problems.take()).toEqual([]);
        } finally {
          await browser.close();
        }
      },
      60_000,
    );
  });
});
