// The UI's Server page on the HA topology of docker-compose.yml (tools/ha): through nginx it shows
// both API replicas and the services process with their hosts and heartbeats, and a services
// process killed with SIGKILL drops out within the registry's TTL.
import {
  browserUnavailableReason,
  PageProblems,
  PrivateRedis,
  REPO_ROOT,
  TestBrowser,
  waitFor,
} from '@orrery/testing';
import { PROCESS_REGISTRY_TTL_SECONDS } from '@orrery/server';
import { execFileSync } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startTopology, type Topology } from './src/topology';

const unavailable = browserUnavailableReason();
if (unavailable !== null) console.warn(`skipping the Server page test: ${unavailable}`);

// eslint-disable-next-line no-restricted-properties -- skipped only when Chromium is absent, with the reason printed
(unavailable === null ? describe : describe.skip)('the Server page on the HA topology', () => {
  let redis: PrivateRedis;
  let topology: Topology | null = null;
  let browser: TestBrowser;
  let page: Page;
  let problems: PageProblems;

  beforeAll(async () => {
    execFileSync('bash', [join(REPO_ROOT, 'tools', 'dev', 'ensure-nginx.sh')], { stdio: 'inherit' });
    redis = await PrivateRedis.start();
    topology = await startTopology({
      redisServer: `redis://127.0.0.1:${redis.port}`,
      redisDb: 0,
      replicas: { api: 2, services: 1 },
    });
    browser = await TestBrowser.launch();
    page = await browser.context.newPage();
    problems = new PageProblems(page, topology.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (topology !== null) await topology.stop(5000);
    await redis?.dispose();
  }, 30_000);

  const row = (id: string) => page.locator('[data-testid=processes] tr', { hasText: id });

  it('lists both API replicas and the services process, then drops a killed one within the TTL', async () => {
    const t = topology as Topology;
    const id = (name: string): string => `${hostname()}-${t.info(name).pid}`;
    await page.goto(`${t.url}/server`);
    await page.getByText('Processes (3)').waitFor({ timeout: 30_000 });
    for (const name of ['api-1', 'api-2']) {
      await expect(row(id(name)).innerText()).resolves.toContain(`127.0.0.1:${t.info(name).port}`);
    }
    const services = row(id('services-1'));
    await expect(services.innerText()).resolves.toContain('scheduler');
    const vacuum = page.locator('[data-service="db-vacuum"]');
    await expect(vacuum.innerText()).resolves.toContain(`pid ${t.info('services-1').pid}`);
    await expect(page.getByText('PostgreSQL at').first().isVisible()).resolves.toBe(true);
    await expect(page.locator('[data-service="task-run-recorder"]').innerText()).resolves.toContain(
      'events/task-run-recorder',
    );

    const killedAt = Date.now();
    await t.kill('services-1', 'SIGKILL');
    // Its registry key expires at most one TTL after its last heartbeat; the page polls every 5 s.
    await waitFor(async () => (await vacuum.innerText()).includes('none running'), {
      timeoutMs: (PROCESS_REGISTRY_TTL_SECONDS + 10) * 1000,
      intervalMs: 500,
      what: 'the killed services process to leave the Server page',
    });
    console.log(`killed services process gone from the Server page after ${Date.now() - killedAt} ms`);
    await page.getByText('Processes (2)').waitFor();
    await problems.apiIdle();
    expect(problems.take()).toEqual([]);
  }, 120_000);
});
