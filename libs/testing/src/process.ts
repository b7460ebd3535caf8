import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root (tests run the compiled CLI from dist/ through bin/orrery). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const ORRERY_BIN = join(REPO_ROOT, 'bin', 'orrery');

/** Polls `check` until it returns a value other than undefined/false, or fails after the deadline. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  {
    timeoutMs = 10_000,
    intervalMs = 50,
    what = 'condition',
  }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Ties a server a test started (a private Redis or PostgreSQL) to this process: if this process ends
 * first (a crash, a killed Jest worker, no dispose()), the server is killed and `dir` removed.
 * `onExit` runs when the server exits.
 */
export function tieServerToProcess(child: ChildProcess, dir: string, onExit: () => void): void {
  const killOnExit = (): void => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  child.once('exit', () => {
    process.removeListener('exit', killOnExit);
    onExit();
  });
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Environment for a child Orrery: the caller's, minus PREFECT_* leaking in from the developer's shell. */
export function orreryEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PREFECT_')) clean[k] = v;
  return { ...clean, ...env };
}

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `orrery <args>` to completion. */
export function runOrrery(
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<CommandResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [ORRERY_BIN, ...args], {
      env: orreryEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`orrery ${args.join(' ')} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`),
      );
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
  });
}

/** A long-running `orrery` process (server or services) started by a test. */
export class OrreryProcess {
  private out = '';
  private readonly exited: Promise<number | null>;

  private constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (d: Buffer) => (this.out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.out += d.toString()));
    this.exited = new Promise((r) => child.once('exit', (code) => r(code)));
  }

  static start(args: readonly string[], env: Record<string, string>): OrreryProcess {
    return new OrreryProcess(
      spawn(process.execPath, [ORRERY_BIN, ...args], {
        env: orreryEnv(env),
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
  }

  /** `node dist/apps/<app>/src/main.js`: one service's own entry point (build first). */
  static startApp(app: string, env: Record<string, string>): OrreryProcess {
    return new OrreryProcess(
      spawn(process.execPath, [join(REPO_ROOT, 'dist', 'apps', app, 'src', 'main.js')], {
        env: orreryEnv(env),
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
  }

  /** Everything the process printed so far (stdout and stderr interleaved). */
  output(): string {
    return this.out;
  }

  isRunning(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits until its output matches, failing early (with the output) if it exits first. */
  async waitForOutput(pattern: RegExp, timeoutMs = 30_000): Promise<void> {
    await waitFor(
      () => {
        if (pattern.test(this.out)) return true;
        if (!this.isRunning()) throw new Error(`process exited:\n${this.out}`);
        return false;
      },
      { timeoutMs, what: `output ${pattern}` },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n--- output ---\n${this.out}`);
    });
  }

  /** Sends `signal` and waits for the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<number | null> {
    if (this.isRunning()) this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * `orrery server start [extra args] --port <free port>` from dist/, waited for until it prints that it
 * is ready; `url` is its API root (`http://127.0.0.1:<port>/api`).
 */
export async function startOrreryServer(
  env: Record<string, string>,
  extraArgs: readonly string[] = [],
  readyTimeoutMs = 60_000,
): Promise<{ process: OrreryProcess; url: string }> {
  const port = await freePort();
  const server = OrreryProcess.start(['server', 'start', ...extraArgs, '--port', String(port)], env);
  try {
    await server.waitForOutput(/orrery: ready/, readyTimeoutMs);
  } catch (error) {
    await server.stop('SIGKILL'); // a server that never got ready must not outlive the test
    throw error;
  }
  return { process: server, url: `http://127.0.0.1:${port}/api` };
}

/** The settings of a server on a test PostgreSQL database and one Redis database (bus and jobs). */
export function postgresRedisEnv(databaseUrl: string, redisUrl: string): Record<string, string> {
  return {
    PREFECT_API_DATABASE_CONNECTION_URL: databaseUrl,
    PREFECT_MESSAGING_BROKER: 'prefect_redis.messaging',
    PREFECT_REDIS_MESSAGING_URL: redisUrl,
    PREFECT_SERVER_DOCKET_URL: redisUrl,
  };
}

/** `node dist/apps/<app>/src/main.js`: one service's own app (run the build first). */
export class AppProcess {
  private out = '';
  readonly exited: Promise<void>;

  private constructor(
    readonly app: string,
    readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (d: Buffer) => (this.out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.out += d.toString()));
    this.exited = new Promise((resolveExit) => child.once('exit', () => resolveExit()));
  }

  static start(app: string, env: Record<string, string>): AppProcess {
    const main = join(REPO_ROOT, 'dist', 'apps', app, 'src', 'main.js');
    return new AppProcess(
      app,
      spawn(process.execPath, [main], { env: orreryEnv(env), stdio: ['ignore', 'pipe', 'pipe'] }),
    );
  }

  output(): string {
    return this.out;
  }

  /** Waits for `orrery: ready (… <app> …)`, failing early (with the output) if it exits. */
  async ready(timeoutMs = 60_000): Promise<void> {
    const pattern = new RegExp(`orrery: ready \\(.*${this.app}`);
    await waitFor(
      () => {
        if (this.child.exitCode !== null) throw new Error(`${this.app} exited:\n${this.out}`);
        return pattern.test(this.out);
      },
      { timeoutMs, what: `${this.app} to be ready:\n${this.out}` },
    );
  }

  async stop(signal: NodeJS.Signals): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exited;
  }
}
