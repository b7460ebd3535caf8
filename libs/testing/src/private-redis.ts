import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { freePort, tieServerToProcess, waitFor } from './process';

/**
 * A redis-server of this test's own, on a free loopback port, keeping nothing on disk (unless asked). A suite that
 * runs whole server processes (which name their keys without a test prefix), empties databases or
 * stops Redis on purpose uses one, so it never touches the machine's shared Redis. `npm test` makes
 * sure `redis-server` is installed (tools/dev/ensure-services.sh).
 */
export class PrivateRedis {
  private constructor(
    readonly port: number,
    private child: ChildProcess | null,
    private readonly dir: string,
    private readonly serverArgs: readonly string[],
  ) {}

  /**
   * `serverArgs` are appended to redis-server's command line (later options win), e.g.
   * `['--appendonly', 'yes']` to keep the data across `stop()`/`launch()` as a production Redis with
   * AOF does (every write is in the file before the client gets its reply, so a killed server loses
   * nothing it acknowledged).
   */
  static async start(options: { serverArgs?: readonly string[] } = {}): Promise<PrivateRedis> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'orrery-redis-'));
    const redis = new PrivateRedis(port, null, dir, options.serverArgs ?? []);
    await redis.launch();
    return redis;
  }

  /** `redis://127.0.0.1:<port>/<db>`. */
  url(db = 0): string {
    return `redis://127.0.0.1:${this.port}/${db}`;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /**
   * Starts the server again on the same port after `stop()` (an outage ends). Data is gone, unless
   * the server was started with persistence (`--appendonly yes`).
   */
  async launch(): Promise<void> {
    if (this.child) return;
    const child = spawn(
      process.env['ORRERY_TEST_REDIS_SERVER'] ?? 'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.dir,
        ...this.serverArgs,
      ],
      { stdio: 'ignore' },
    );
    this.child = child;
    tieServerToProcess(child, this.dir, () => {
      if (this.child === child) this.child = null;
    });
    await waitFor(
      async () => {
        const probe = new Redis(this.url(), {
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        });
        probe.on('error', () => undefined); // a refused probe is an answer, not an event to print
        try {
          await probe.connect();
          return (await probe.ping()) === 'PONG';
        } finally {
          probe.disconnect();
        }
      },
      { timeoutMs: 10_000, what: `redis-server on port ${this.port}` },
    );
  }

  /** Stops the server (SIGKILL: an outage, not a shutdown). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  /** Stops the server and removes its directory. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
