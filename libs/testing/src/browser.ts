import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { type BrowserContext, chromium, type ConsoleMessage, type Page } from 'playwright-core';

/** Debian's Chromium (tools/dev/ensure-chromium.sh installs it); `ORRERY_TEST_CHROMIUM` overrides. */
export const CHROMIUM_PATH = process.env['ORRERY_TEST_CHROMIUM'] ?? '/usr/bin/chromium';

/** Why browser tests cannot run here, or null when they can. */
export function browserUnavailableReason(): string | null {
  return existsSync(CHROMIUM_PATH)
    ? null
    : `Chromium is not installed at ${CHROMIUM_PATH} (tools/dev/ensure-chromium.sh installs it)`;
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A headless Chromium with a fresh profile directory, removed again by `close()`. */
export class TestBrowser {
  private constructor(
    readonly context: BrowserContext,
    private readonly profile: string,
  ) {}

  static async launch(): Promise<TestBrowser> {
    const profile = mkdtempSync(join(tmpdir(), 'orrery-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: FLAGS,
      viewport: { width: 1400, height: 900 },
    });
    return new TestBrowser(context, profile);
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    rmSync(this.profile, { recursive: true, force: true });
  }
}

/**
 * Records what a page must never do: an API request that fails (HTTP ≥ 400 or a network error
 * other than an abort by navigation) and a console error — except failed loads of external images,
 * which cannot load offline.
 */
export class PageProblems {
  private readonly problems: string[] = [];
  private inFlight = 0;

  constructor(
    page: Page,
    private readonly origin: string,
  ) {
    page.on('request', (request) => {
      if (request.url().includes('/api/')) this.inFlight += 1;
    });
    const done = (url: string): void => {
      if (url.includes('/api/')) this.inFlight = Math.max(0, this.inFlight - 1);
    };
    page.on('requestfinished', (request) => done(request.url()));
    page.on('response', (response) => {
      if (response.url().includes('/api/') && response.status() >= 400) {
        this.problems.push(`HTTP ${response.status()} ${response.request().method()} ${response.url()}`);
      }
    });
    page.on('requestfailed', (request) => {
      done(request.url());
      const failure = request.failure()?.errorText ?? 'failed';
      if (failure.includes('ERR_ABORTED')) return;
      if (!request.url().startsWith(this.origin) && request.resourceType() === 'image') return;
      this.problems.push(`request failed (${failure}) ${request.method()} ${request.url()}`);
    });
    page.on('console', (message: ConsoleMessage) => {
      if (message.type() !== 'error') return;
      const source = message.location().url;
      if (source !== '' && !source.startsWith(this.origin) && message.text().startsWith('Failed to load'))
        return;
      this.problems.push(`console error: ${message.text()} (${source})`);
    });
    page.on('pageerror', (error) => this.problems.push(`page error: ${error.message}`));
  }

  /** Resolves once no API request has been in flight for `quietMs` (or after `timeoutMs`). */
  async apiIdle(quietMs = 300, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let quietSince = Date.now();
    while (Date.now() < deadline) {
      if (this.inFlight > 0) quietSince = Date.now();
      else if (Date.now() - quietSince >= quietMs) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Everything recorded since the last call. */
  take(): string[] {
    return this.problems.splice(0);
  }
}
